"""
A volunteer's SMS answer to a shift reminder: 1 (they will come) is recorded on the
sign-up; 2 (they cannot) withdraws them as their own tap would, so the place opens and
the coordinators hear of a late withdrawal.
"""

from django.utils import timezone

from services.audit.actions import audit_record
from services.messaging.models import Cause, InboundMessage, Message

from .actions.signups import sms_withdraw
from .models import SignUp


def shift_reply(message: Message, answer: str) -> str:
    """
    Act on the volunteer's sign-up for the shift the reminder was about. A shift
    cancelled, started, or moved since this reminder went (the answer was about the old
    time), or a sign-up already withdrawn or confirmed, is left alone.
    """
    if message.cause_type != Cause.SHIFT or message.cause_id is None or message.user is None:
        return ""
    signup = (
        SignUp.objects.filter(
            shift_id=message.cause_id, user=message.user, withdrawn_at__isnull=True
        )
        .select_related("shift", "user", "booking")
        .first()
    )
    if signup is None or signup.shift.is_cancelled:
        return ""
    if message.cause_at != signup.shift.starts_at or signup.shift.starts_at <= timezone.now():
        return ""
    if answer == "confirm":
        if signup.confirmed_at is not None:
            return ""
        SignUp.objects.filter(pk=signup.pk).update(confirmed_at=timezone.now())
        audit_record(actor=None, action="shift.sms_confirm", target=signup, details={})
        return InboundMessage.Action.CONFIRMED
    sms_withdraw(signup=signup)
    return InboundMessage.Action.CANCELLED
