"""Celery tasks: thin, idempotent callers of the distribution actions."""

from celery import shared_task

from .actions.tickets import tickets_mark_no_show


@shared_task(ignore_result=True)
def tickets_no_show() -> int:
    """Beat runs this every quarter hour: tickets never called at a finished distribution."""
    return tickets_mark_no_show()
