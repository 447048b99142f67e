from celery import shared_task

from .demo import demo_reminder_send


@shared_task(ignore_result=True)
def demo_reminder() -> None:
    """Beat schedules this in the demo only (settings.DEMO_REMINDER_SECONDS)."""
    demo_reminder_send()
