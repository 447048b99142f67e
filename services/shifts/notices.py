"""
What the people of a shift are told, through the messaging outbox, in the transaction
of the change that causes it: each volunteer by their own channel (SMS or e-mail) and
in their interface language, with quiet hours, STOP and one message per key.

- on a shift: reminders at 18:00 the day before and 2 hours before (scheduling's
  reminder times), and a note when a coordinator puts them on it;
- the shift changed (time, task or notes) or was cancelled, with the reason;
- withdrawn, or their account closed: whatever still waits for them about the shift is
  cancelled;
- a volunteer withdrew within 24 hours of the start: the site's coordinators are told.

Every message is about the shift (cause SHIFT, the shift's id and start) and goes to
one volunteer; its key names both, so nothing is sent twice.
"""

from services.accounts.models import User
from services.messaging.actions.schedule import (
    MessageCause,
    message_schedule,
    messages_cancel_for_cause,
)
from services.messaging.models import Cause
from services.messaging.sms_templates import Kind
from services.scheduling import reminders

from .models import Shift, SignUp


def _cause(shift: Shift) -> MessageCause:
    return MessageCause(Cause.SHIFT, shift.pk, shift.starts_at)


def _context(shift: Shift, **extra: str) -> dict[str, str]:
    context = reminders.reminder_context(starts_at=shift.starts_at, place=shift.site.name)
    return {**context, **extra}


def signup_reminders_schedule(signup: SignUp) -> None:
    """(Re)schedule the volunteer's two reminders for the shift's current time."""
    shift = signup.shift
    reminders.reminders_schedule(
        cause_type=Cause.SHIFT,
        cause_id=shift.pk,
        kind=Kind.SHIFT_REMINDER,
        starts_at=shift.starts_at,
        place=shift.site.name,
        user=signup.user,
    )


def signup_messages_cancel(signup: SignUp, *, reason: str) -> int:
    """Nothing more about this shift reaches this volunteer."""
    return messages_cancel_for_cause(
        cause_type=Cause.SHIFT, cause_id=signup.shift_id, user=signup.user, reason=reason
    )


def notice_assigned(signup: SignUp) -> None:
    """A coordinator put them on the shift: they hear of it now, not only the day before."""
    message_schedule(
        key=f"shift:{signup.shift_id}:assigned:signup-{signup.pk}",
        kind=Kind.SHIFT_REMINDER,
        user=signup.user,
        cause=_cause(signup.shift),
        context=_context(signup.shift),
    )


def notices_changed(shift: Shift, signups: list[SignUp]) -> None:
    """The shift's new time (and place) to everyone on it, once per change."""
    for signup in signups:
        message_schedule(
            key=f"shift:{shift.pk}:changed-{shift.revision}:user-{signup.user_id}",
            kind=Kind.SHIFT_CHANGED,
            user=signup.user,
            cause=_cause(shift),
            context=_context(shift),
        )


def notices_cancelled(shift: Shift, signups: list[SignUp]) -> None:
    """What still waited about the shift is cancelled; the cancellation, with its reason, goes."""
    messages_cancel_for_cause(cause_type=Cause.SHIFT, cause_id=shift.pk, reason="shift cancelled")
    for signup in signups:
        message_schedule(
            key=f"shift:{shift.pk}:cancelled:user-{signup.user_id}",
            kind=Kind.SHIFT_CANCELLED,
            user=signup.user,
            cause=_cause(shift),
            context=_context(shift, reason=shift.cancel_reason),
        )


def notices_short(signup: SignUp, coordinators: list[User]) -> None:
    """A late withdrawal, to each of the site's coordinators."""
    shift = signup.shift
    for coordinator in coordinators:
        message_schedule(
            key=f"shift:{shift.pk}:short:signup-{signup.pk}:user-{coordinator.pk}",
            kind=Kind.SHIFT_SHORT,
            user=coordinator,
            cause=_cause(shift),
            context=_context(shift, name=signup.user.get_username()),
        )
