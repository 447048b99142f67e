"""A referral's appointment reminders (services/scheduling/reminders.py has the rules)."""

from services.messaging.models import Cause
from services.messaging.sms_templates import Kind
from services.scheduling import reminders

from ..models import Referral


def referral_reminders_schedule(*, referral: Referral) -> None:
    """(Re)schedule both reminders for the referral's appointment. Call inside the change."""
    assert referral.appointment_at is not None  # noqa: S101 - booked referrals have a time
    reminders.reminders_schedule(
        cause_type=Cause.REFERRAL,
        cause_id=referral.pk,
        kind=Kind.REFERRAL_REMINDER,
        person=referral.person,
        starts_at=referral.appointment_at,
        place=referral.appointment_place,
    )


def referral_reminders_cancel(*, referral: Referral, reason: str) -> None:
    reminders.reminders_cancel(
        cause_type=Cause.REFERRAL, cause_id=referral.pk, kind=Kind.REFERRAL_REMINDER, reason=reason
    )
