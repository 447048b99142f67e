"""Celery tasks: thin callers of the retention run."""

from celery import shared_task

from .retention import retention_apply


@shared_task(ignore_result=True)
def retention_nightly() -> int:
    """Beat runs this every night; a second run the same night finds nothing to do."""
    run = retention_apply()
    return len(run.people) + run.messages + run.replies + run.handover_notes
