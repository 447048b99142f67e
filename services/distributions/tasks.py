"""Celery tasks: thin, idempotent callers of the distribution actions."""

from celery import shared_task

from .actions.alerts import stock_low_alert
from .actions.tickets import tickets_mark_no_show


@shared_task(ignore_result=True)
def tickets_no_show() -> int:
    """Beat runs this every quarter hour: tickets never called at a finished distribution."""
    return tickets_mark_no_show()


@shared_task(ignore_result=True)
def stock_low_alert_daily() -> int:
    """Beat runs this each morning: coordinators hear of low stock once a day."""
    return stock_low_alert()
