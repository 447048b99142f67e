"""
The person's SMS answer to a medical appointment reminder: 1 (will come), 2 (cannot).

The appointment is the partner clinic's, so an answer never changes the referral's
status: it is recorded on the referral for the medical team (who tell the clinic of a
cancellation), and a cancellation stops the reminders still waiting.
"""

from django.utils import timezone

from services.audit.actions import audit_record
from services.messaging.models import Cause, InboundMessage, Message

from .actions.reminders import referral_reminders_cancel
from .models import Referral, SmsAnswer, Status


def referral_reply(message: Message, answer: str) -> str:
    """
    Record the answer on the referral the reminder was about. A referral no longer
    booked, booked for another time since this reminder went, or already answered the
    same way, is left alone.
    """
    if message.cause_type != Cause.REFERRAL or message.cause_id is None:
        return ""
    referral = (
        Referral.objects.select_for_update()
        .filter(pk=message.cause_id, person=message.person)
        .first()
    )
    if referral is None or referral.status != Status.BOOKED:
        return ""
    if message.cause_at != referral.appointment_at or referral.appointment_at is None:
        return ""
    if referral.appointment_at <= timezone.now():
        return ""
    confirmed = answer == "confirm"
    value = SmsAnswer.CONFIRMED if confirmed else SmsAnswer.CANCELLED
    if referral.sms_answer == value:
        return ""
    referral.sms_answer, referral.sms_answer_at = value, timezone.now()
    referral.save(update_fields=["sms_answer", "sms_answer_at", "updated_at"])
    if not confirmed:
        referral_reminders_cancel(referral=referral, reason="cancelled by SMS")
    audit_record(
        actor=None, action="referral.sms_answer", target=referral, details={"answer": value}
    )
    return InboundMessage.Action.CONFIRMED if confirmed else InboundMessage.Action.CANCELLED
