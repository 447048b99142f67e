"""
Bringing a spreadsheet in: first a dry run, then all of it or nothing.

Both run every row through the real actions (kinds.py), each row in a savepoint so one
refusal does not hide the next, inside one transaction. The dry run always rolls it
back: what it lists is exactly what the import would do, duplicated phones within the
file included (the second meets the first). The import commits only when no row is
refused, else it rolls back whole and says which rows to fix. Messages the actions
queue (invitations) go only when the import commits.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.audit.actions import audit_record
from services.distributions.models import ItemType
from services.sites.models import Site

from ..models import ImportFile
from .cells import refuse_formulas
from .files import read_rows
from .kinds import KINDS, Context


@dataclass(frozen=True)
class RowOutcome:
    number: int  # the line in the file, the header being line 1
    verb: str  # create, change or refuse
    text: str


@dataclass
class Plan:
    rows: list[RowOutcome] = field(default_factory=list)

    def count(self, verb: str) -> int:
        return sum(1 for row in self.rows if row.verb == verb)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def changed(self) -> int:
        return self.count("change")

    @property
    def refused(self) -> int:
        return self.count("refuse")


class _RollBack(Exception):
    pass


def _context(actor: User, base_url: str) -> Context:
    return Context(
        actor=actor,
        base_url=base_url,
        sites={site.name.lower(): site for site in Site.objects.filter(is_active=True)},
        items={item.name.lower(): item for item in ItemType.objects.filter(is_active=True)},
    )


def _run(import_file: ImportFile, actor: User, base_url: str) -> Plan:
    kind = KINDS[import_file.kind]
    rows = read_rows(bytes(import_file.content), required=kind.required, optional=kind.optional)
    context, plan = _context(actor, base_url), Plan()
    for number, row in enumerate(rows, start=2):
        try:
            with transaction.atomic():
                refuse_formulas(row)
                verb, text = kind.apply(context, row)
        except DomainError as error:
            verb, text = "refuse", error.message
        except PermissionDenied:
            verb, text = "refuse", _("You may not do this.")
        plan.rows.append(RowOutcome(number, verb, text))
    return plan


def import_upload(*, actor: User, kind: str, file_name: str, content: bytes) -> ImportFile:
    if not actor.has_perm("reports.add_importfile"):
        raise PermissionDenied
    if kind not in KINDS:
        raise DomainError(_("Choose what the file holds from the list."), field="kind")
    import_file = ImportFile.objects.create(
        kind=kind,
        file_name=file_name[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    audit_record(actor=actor, action="import.upload", target=import_file, details={"kind": kind})
    return import_file


def _allowed(actor: User, import_file: ImportFile) -> ImportFile:
    if not actor.has_perm("reports.add_importfile"):
        raise PermissionDenied
    return import_file


def import_dry_run(*, actor: User, import_file: ImportFile, base_url: str) -> Plan:
    """What importing the file would do, row by row; changes nothing."""
    _allowed(actor, import_file)
    plan = Plan()
    try:
        with transaction.atomic():
            plan = _run(import_file, actor, base_url)
            raise _RollBack
    except _RollBack:
        pass
    return plan


def import_apply(*, actor: User, import_file: ImportFile, base_url: str) -> Plan:
    """Every row, or none: a refused row rolls back the whole file."""
    _allowed(actor, import_file)
    try:
        with transaction.atomic():
            locked = ImportFile.objects.select_for_update().get(pk=import_file.pk)
            if locked.state != ImportFile.State.CHECKED:
                raise Conflict(_("This file has been imported already."), code="imported")
            plan = _run(locked, actor, base_url)
            if plan.refused:
                raise _RollBack
            locked.state, locked.imported_at = ImportFile.State.IMPORTED, timezone.now()
            locked.rows, locked.content = len(plan.rows), b""
            locked.save(update_fields=["state", "imported_at", "rows", "content"])
            audit_record(
                actor=actor,
                action="import.apply",
                target=locked,
                details={
                    "kind": locked.kind,
                    "create": plan.count("create"),
                    "change": plan.count("change"),
                },
            )
    except _RollBack:
        pass
    return plan


@transaction.atomic
def import_discard(*, actor: User, import_file: ImportFile) -> None:
    _allowed(actor, import_file)
    updated = ImportFile.objects.filter(pk=import_file.pk, state=ImportFile.State.CHECKED).update(
        state=ImportFile.State.DISCARDED, content=b""
    )
    if updated:
        audit_record(actor=actor, action="import.discard", target=import_file)


def imports_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """
    Files checked and then left: their content (names, phone numbers) goes after a day.
    A second run finds nothing to do.
    """
    stale = ImportFile.objects.filter(
        state=ImportFile.State.CHECKED, uploaded_at__lt=timezone.now() - older_than
    )
    return stale.update(state=ImportFile.State.DISCARDED, content=b"")
