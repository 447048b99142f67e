from celery import shared_task

from .health import heartbeat_store
from .submissions import submissions_purge as purge


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Beat schedules this; `manage.py health` shows how long ago a worker last ran it."""
    heartbeat_store()


@shared_task(ignore_result=True)
def submissions_purge() -> int:
    """Beat runs this every few hours: the one-time form tokens older than a day go."""
    return purge()
