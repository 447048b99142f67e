"""
A legal appointment's reminders (services/scheduling/reminders.py has the rules). The
place is the site's name or "by phone" in the person's language; never the case type.
"""

from django.utils import translation
from django.utils.translation import pgettext

from services.messaging.models import Cause
from services.messaging.sms_templates import Kind
from services.scheduling import reminders

from .models import Appointment


def reminder_place(appointment: Appointment) -> str:
    if appointment.site:
        return appointment.site.name
    with translation.override(appointment.person.language):
        return pgettext("sms", "by phone")


def reminders_schedule(appointment: Appointment) -> None:
    reminders.reminders_schedule(
        cause_type=Cause.APPOINTMENT,
        cause_id=appointment.pk,
        kind=Kind.APPOINTMENT_REMINDER,
        person=appointment.person,
        starts_at=appointment.starts_at,
        place=reminder_place(appointment),
    )


def reminders_cancel(appointment: Appointment, *, reason: str) -> None:
    reminders.reminders_cancel(
        cause_type=Cause.APPOINTMENT,
        cause_id=appointment.pk,
        kind=Kind.APPOINTMENT_REMINDER,
        reason=reason,
    )
