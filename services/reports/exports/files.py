"""
XLSX exports built in the background, with their progress, and a link that expires.

An XLSX file is a zip that can be sent only once its last row is written: a long one
would hold a web worker (and the check-ins queued behind it) past its timeout. So the
page asks, export_file_build() makes the file in a Celery task, counting its rows as it
goes, the page shows how far it has got, and the file waits under EXPORT_DIR until its
link expires (EXPORT_LINK_HOURS), when exports_expire() deletes it. CSV streams
straight to the browser and needs none of this.
"""

import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from services.accounts.models import User
from services.audit.actions import audit_record

from ..models import Build, Export
from ..periods import day_start
from .datasets import DATASETS, Scope, rows_count
from .writers import xlsx_write

PROGRESS_EVERY = 2000


def export_dir() -> Path:
    path = Path(settings.EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def scope_of(export: Export) -> Scope:
    return Scope(
        site_ids=export.site_ids or None,
        start=day_start(export.since),
        end=day_start(export.until + timedelta(days=1)),
        identities=export.with_identities,
    )


def _counted(export_id: int, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export_id).update(rows_done=done)
    Export.objects.filter(pk=export_id).update(rows_done=done)


def export_file_build(export_id: int) -> None:
    """Make the file of a waiting export; a second call for the same export does nothing."""
    claimed = Export.objects.filter(pk=export_id, build=Build.WAITING).update(build=Build.BUILDING)
    if not claimed:
        return
    export = Export.objects.get(pk=export_id)
    stored_as = f"{secrets.token_hex(16)}.xlsx"
    path = export_dir() / stored_as
    try:
        with transaction.atomic():  # a server-side cursor lives in a transaction
            scope = scope_of(export)
            headers, rows = DATASETS[export.dataset](scope)
            Export.objects.filter(pk=export_id).update(rows_total=rows_count(export.dataset, scope))
            with open(path, "wb") as out:
                xlsx_write(headers, _counted(export_id, rows), export.dataset, out)
    except Exception:
        path.unlink(missing_ok=True)
        Export.objects.filter(pk=export_id).update(build=Build.FAILED)
        raise
    Export.objects.filter(pk=export_id).update(
        build=Build.READY,
        stored_as=stored_as,
        expires_at=timezone.now() + timedelta(hours=settings.EXPORT_LINK_HOURS),
    )


def export_file_get(*, actor: User, pk: int) -> Export:
    """An export the asker may follow: a coordinator's, and one with names only for those
    who may have names."""
    if not actor.has_perm("reports.add_export"):
        raise PermissionDenied
    export = Export.objects.filter(pk=pk, outcome=Export.Outcome.MADE).exclude(build="").first()
    if export is None:
        raise NotFound(_("There is no such export."))
    if export.with_identities and not actor.has_perm("reports.export_identities"):
        raise PermissionDenied
    return export


def export_file_open(*, actor: User, export: Export) -> Any:
    """The finished file, opened for sending, and the download in the audit log."""
    if export.build != Build.READY or not export.expires_at or export.expires_at <= timezone.now():
        raise NotFound(_("This link has expired: ask for the export again."), code="expired")
    path = export_dir() / export.stored_as
    if not path.is_file():
        raise NotFound(_("This link has expired: ask for the export again."), code="expired")
    audit_record(actor=actor, action="export.download", target=export)
    return open(path, "rb")  # noqa: SIM115 - FileResponse closes it


def exports_expire() -> int:
    """Delete the files whose link has expired. A second run finds nothing to do."""
    expired = Export.objects.filter(build=Build.READY, expires_at__lte=timezone.now())
    count = 0
    for export in expired:
        (export_dir() / export.stored_as).unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(build=Build.EXPIRED, stored_as="")
        count += 1
    return count
