"""
Asking for an export: who may, what they get, and the audit log entry either way.

export_request() writes the Export row and its audit entry before a single row is read
(an XLSX export waits for its file to be built: files.py),
so an export that is made is in the log even if the download is cut off; a refusal is
written in its own transaction and then raised, so it stays in the log too.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.accounts.scoping import user_site_ids
from services.audit.actions import audit_record
from services.sites.models import Site

from ..models import Build, Dataset, Export, FileFormat
from ..periods import day_start, period_check
from .datasets import Scope

REASON_MAX = 200


class ExportRefused(DomainError):
    status_code = 403


@dataclass(frozen=True)
class ExportAsked:
    dataset: str
    file_format: str
    since: date
    until: date
    sites: list[Site]
    with_identities: bool = False
    reason: str = ""


def _refusal(actor: User, asked: ExportAsked) -> str | None:
    """Why this coordinator may not have this export, in words; None if they may."""
    if not actor.has_perm("reports.add_export"):
        return _("Only coordinators may export records.")
    allowed = user_site_ids(actor)
    if allowed is not None and any(site.pk not in allowed for site in asked.sites):
        return _("You may export only the records of your own sites.")
    if asked.with_identities and not actor.has_perm("reports.export_identities"):
        return _(
            "Names and phone numbers may be exported only by a coordinator given that "
            "permission. Export the card codes instead."
        )
    return None


def _checked(asked: ExportAsked) -> ExportAsked:
    if asked.dataset not in Dataset.values or asked.file_format not in FileFormat.values:
        raise DomainError(_("Choose the records and the format from the list."), code="choice")
    period_check(asked.since, asked.until)
    reason = " ".join(asked.reason.split())
    if asked.with_identities and not reason:
        raise DomainError(
            _("Say why names and phone numbers are needed."), field="reason", code="reason"
        )
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX},
            field="reason",
        )
    return ExportAsked(**{**asked.__dict__, "reason": reason})


def _record(actor: Any, asked: ExportAsked, refusal: str = "") -> Export:
    export = Export.objects.create(
        dataset=asked.dataset,
        file_format=asked.file_format,
        since=asked.since,
        until=asked.until,
        site_ids=sorted(site.pk for site in asked.sites),
        with_identities=asked.with_identities,
        reason=asked.reason,
        outcome=Export.Outcome.REFUSED if refusal else Export.Outcome.MADE,
        refusal=refusal[:200],
        requested_by=actor if isinstance(actor, User) else None,
        build=Build.WAITING if asked.file_format == FileFormat.XLSX and not refusal else "",
    )
    audit_record(
        actor=actor,
        action="export.refused" if refusal else "export.made",
        target=export,
        details={
            "dataset": asked.dataset,
            "format": asked.file_format,
            "since": asked.since.isoformat(),
            "until": asked.until.isoformat(),
            "sites": export.site_ids,
            "with_identities": asked.with_identities,
        },
    )
    return export


def export_request(*, actor: User, asked: ExportAsked) -> tuple[Export, Scope]:
    """
    The Export, recorded and audited, and the scope its rows are read in; or
    ExportRefused (recorded and audited) when it is beyond the asker's role.
    """
    asked = _checked(asked)
    refusal = _refusal(actor, asked)
    with transaction.atomic():
        export = _record(actor, asked, refusal or "")
    if refusal:
        raise ExportRefused(refusal, code="refused")
    site_ids = [site.pk for site in asked.sites] or (
        sorted(ids) if (ids := user_site_ids(actor)) is not None else None
    )
    scope = Scope(
        site_ids=site_ids,
        start=day_start(asked.since),
        end=day_start(asked.until + timedelta(days=1)),
        identities=asked.with_identities,
    )
    return export, scope


def export_refusal_record(*, actor: User, dataset: str) -> None:
    """
    An export asked for by someone whose role has no exports at all: their account is
    the record the refusal is logged against, since what they asked may not even parse.
    """
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="export.refused",
            target=actor,
            details={"dataset": dataset[:16], "why": "role"},
        )
