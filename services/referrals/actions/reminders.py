"""
SMS reminders for a booked appointment, through the messaging outbox.

Two reminders per referral, each under a fixed key, so booking again (rescheduling)
moves the pending rows instead of adding new ones: 18:00 local time the day before,
and 2 hours before. A reminder whose time has already passed is not sent (and any
pending one under its key is cancelled). The text holds only date, time and the
neutral place: never the service, the reason or the partner's kind.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format

from services.messaging.actions.schedule import message_cancel, message_schedule
from services.messaging.sms_templates import Kind

from ..models import Referral

DAY_BEFORE_AT = time(18, 0)
HOURS_BEFORE = timedelta(hours=2)


def _keys(referral: Referral) -> dict[str, str]:
    return {
        "24h": f"referral:{referral.pk}:reminder-24h",
        "2h": f"referral:{referral.pk}:reminder-2h",
    }


def reminder_times(starts_at: datetime) -> dict[str, datetime]:
    """When each reminder is due, in local (Europe/Paris) wall-clock terms."""
    local = timezone.localtime(starts_at, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    day_before = datetime.combine(local.date() - timedelta(days=1), DAY_BEFORE_AT)
    return {
        "24h": timezone.make_aware(day_before, local.tzinfo),
        "2h": starts_at - HOURS_BEFORE,
    }


def reminder_context(*, starts_at: datetime, place: str, language: str) -> dict[str, str]:
    """Date and time as the person's language writes them, in local time."""
    local = timezone.localtime(starts_at, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    with translation.override(language):
        return {
            "date": date_format(local.date(), "SHORT_DATE_FORMAT"),
            "time": time_format(local.time(), "TIME_FORMAT"),
            "place": place,
        }


def referral_reminders_schedule(*, referral: Referral) -> None:
    """(Re)schedule both reminders for the referral's appointment. Call inside the change."""
    assert referral.appointment_at is not None  # noqa: S101 - booked referrals have a time
    now = timezone.now()
    context = reminder_context(
        starts_at=referral.appointment_at,
        place=referral.appointment_place,
        language=referral.person.language,
    )
    due = reminder_times(referral.appointment_at)
    for which, key in _keys(referral).items():
        if due[which] <= now:
            message_cancel(key=key, reason="appointment too soon for this reminder")
            continue
        message_schedule(
            key=key,
            kind=Kind.REFERRAL_REMINDER,
            person=referral.person,
            context=context,
            send_at=due[which],
        )


def referral_reminders_cancel(*, referral: Referral, reason: str) -> None:
    for key in _keys(referral).values():
        message_cancel(key=key, reason=reason)
