"""No SMS to service users at night (21:00-08:00 local by default)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def in_quiet_hours(moment: datetime) -> bool:
    hour = timezone.localtime(moment).hour
    start, end = settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END
    if start == end:
        return False
    if start > end:  # the window spans midnight
        return hour >= start or hour < end
    return start <= hour < end


def quiet_hours_end(moment: datetime) -> datetime:
    """When a message due at `moment` may go: `moment` itself, or when the window opens."""
    if not in_quiet_hours(moment):
        return moment
    local = timezone.localtime(moment)
    opening = local.replace(hour=settings.SMS_QUIET_HOURS_END, minute=0, second=0, microsecond=0)
    if opening <= local:
        opening = timezone.make_aware(
            datetime.combine(local.date() + timedelta(days=1), time(settings.SMS_QUIET_HOURS_END))
        )
    return opening


def held_until(*, send_at: datetime, respect_quiet_hours: bool, now: datetime) -> datetime | None:
    """
    When quiet hours let a waiting message go, if they are what holds it now: a message
    due (or coming due) inside the window goes when it opens. None if they do not hold it.
    """
    due = max(send_at, now)
    if not respect_quiet_hours or not in_quiet_hours(due):
        return None
    return quiet_hours_end(due)
