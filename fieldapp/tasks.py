from celery import shared_task

from .health import heartbeat_store


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Beat schedules this; `manage.py health` shows how long ago a worker last ran it."""
    heartbeat_store()
