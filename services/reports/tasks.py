"""Celery tasks: thin callers of exports/files.py and imports/actions.py."""

from celery import shared_task

from .exports.files import export_file_build
from .exports.files import exports_expire as _exports_expire
from .imports.actions import imports_purge as _imports_purge


@shared_task(ignore_result=True)
def export_build(export_id: int) -> None:
    export_file_build(export_id)


@shared_task(ignore_result=True)
def exports_expire() -> int:
    """Beat runs this hourly: files past their link's expiry are deleted."""
    return _exports_expire()


@shared_task(ignore_result=True)
def imports_purge() -> int:
    """Beat runs this hourly: spreadsheets checked and left for a day lose their content."""
    return _imports_purge()
