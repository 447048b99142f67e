"""Celery tasks: thin, idempotent callers of the shift actions."""

from celery import shared_task

from .actions.handover import handover_notes_purge


@shared_task(ignore_result=True)
def handover_purge() -> int:
    """Beat runs this every few hours: the handover notes past their keeping time go."""
    return handover_notes_purge()
