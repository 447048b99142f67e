"""Celery tasks: thin callers of the export file functions (exports/files.py)."""

from celery import shared_task

from .exports.files import export_file_build
from .exports.files import exports_expire as _exports_expire


@shared_task(ignore_result=True)
def export_build(export_id: int) -> None:
    export_file_build(export_id)


@shared_task(ignore_result=True)
def exports_expire() -> int:
    """Beat runs this hourly: files past their link's expiry are deleted."""
    return _exports_expire()
