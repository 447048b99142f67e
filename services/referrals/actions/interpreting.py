"""
The interpreter booked with a referral's medical appointment. Their time is held by
the referral's scheduling Booking (interpreter_booking), in the one SlotHold table of
services/scheduling, so the unique (user, cell) constraint keeps anyone from being
booked twice, whichever the bookings. Called from workflow.py inside the step's
transaction; the step's save() stores the booking on the referral.
"""

from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.scheduling.actions import SlotTaken, booking_create, booking_hold, booking_release
from services.scheduling.interpreters import interpreter_refusal

from ..models import Referral, referral_appointment_length


def _taken(interpreter: User) -> Conflict:
    return Conflict(
        _("%(name)s is not free at that time. Choose another interpreter, or none.")
        % {"name": interpreter.get_username()},
        field="interpreter",
        code="interpreter_taken",
    )


def referral_interpreter_hold(*, referral: Referral, interpreter: User | None) -> None:
    """
    Give the referral's appointment (already set on the row) this interpreter, or none:
    its old holds go, the new ones are taken. An interpreter who is not free is a
    Conflict (409); the caller's transaction then writes nothing.
    """
    booking_release(booking=referral.interpreter_booking)
    referral.interpreter = interpreter
    if interpreter is None:
        return
    if not referral.interpreter_language:
        raise DomainError(
            _("This referral needs no interpreter."), field="interpreter", code="not_needed"
        )
    assert referral.appointment_at is not None  # noqa: S101 - booking sets the time first
    starts_at = referral.appointment_at
    ends_at = starts_at + referral_appointment_length()
    refusal = interpreter_refusal(
        interpreter=interpreter,
        language=referral.interpreter_language,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if refusal is not None:
        raise refusal
    if referral.interpreter_booking is None:
        referral.interpreter_booking = booking_create()
    try:
        booking_hold(
            booking=referral.interpreter_booking,
            users=[interpreter.pk],
            starts_at=starts_at,
            ends_at=ends_at,
        )
    except SlotTaken as error:
        raise _taken(interpreter) from error


def referral_interpreter_release(*, referral: Referral, cancelled: bool) -> None:
    """
    Free the interpreter's time once the appointment is over or off. When it is
    cancelled (declined or closed while booked) the interpreter no longer goes either;
    after it took place (attended, missed) they stay on the record.
    """
    booking_release(booking=referral.interpreter_booking)
    if cancelled:
        referral.interpreter = None
