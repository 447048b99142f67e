"""
SMS reminders of a legal appointment, through the messaging outbox: at 18:00 the day
before, and 2 hours before. The text names only the date, time and a neutral place
(the site's name or "by phone"), in the person's language; never the case type.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import pgettext

from services.messaging.actions.schedule import message_cancel, message_schedule
from services.messaging.sms_templates import Kind

from .models import Appointment
from .slots import local_datetime

DAY_BEFORE_AT = time(18, 0)
HOURS_BEFORE = timedelta(hours=2)


def reminder_keys(appointment: Appointment) -> dict[str, str]:
    return {
        "24h": f"legal:{appointment.pk}:reminder-24h",
        "2h": f"legal:{appointment.pk}:reminder-2h",
    }


def reminder_context(appointment: Appointment) -> dict[str, str]:
    local = timezone.localtime(appointment.starts_at, timezone.get_default_timezone())
    with translation.override(appointment.person.language):
        return {
            "date": date_format(local, "D j/m"),
            "time": date_format(local, "H:i"),
            "place": appointment.site.name if appointment.site else pgettext("sms", "by phone"),
        }


def reminder_times(appointment: Appointment) -> dict[str, datetime]:
    local = timezone.localtime(appointment.starts_at, timezone.get_default_timezone())
    return {
        "24h": local_datetime(local.date() - timedelta(days=1), DAY_BEFORE_AT),
        "2h": appointment.starts_at - HOURS_BEFORE,
    }


def reminders_schedule(appointment: Appointment) -> None:
    """(Re)schedule both reminders; one whose time has passed is cancelled instead."""
    now = timezone.now()
    context = reminder_context(appointment)
    keys = reminder_keys(appointment)
    for which, send_at in reminder_times(appointment).items():
        if send_at <= now:
            message_cancel(key=keys[which], reason="moved")
            continue
        message_schedule(
            key=keys[which],
            kind=Kind.APPOINTMENT_REMINDER,
            person=appointment.person,
            context=context,
            send_at=send_at,
        )


def reminders_cancel(appointment: Appointment, *, reason: str) -> None:
    for key in reminder_keys(appointment).values():
        message_cancel(key=key, reason=reason)
