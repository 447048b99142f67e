"""Celery tasks: thin, idempotent callers of the distribution actions."""

from celery import shared_task

from .actions.alerts import stock_low_alert


@shared_task(ignore_result=True)
def stock_low_alert_daily() -> int:
    """Beat runs this each morning: coordinators hear of low stock once a day."""
    return stock_low_alert()
