"""
The interpreter booked with a referral's medical appointment. Their time is held in
services.legal's SlotHold table, shared with legal appointments, so the unique
(user, cell) constraint keeps anyone from being booked twice, whichever the bookings.
Called from workflow.py inside the step's transaction.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.legal.interpreters import interpreter_refusal
from services.legal.models import SlotHold
from services.legal.slots import cells

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
    referral.holds.all().delete()
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
    holds = [
        SlotHold(user=interpreter, starts_at=cell, referral=referral)
        for cell in cells(starts_at, ends_at)
    ]
    try:
        with transaction.atomic():
            SlotHold.objects.bulk_create(holds)
    except IntegrityError as error:
        raise _taken(interpreter) from error


def referral_interpreter_release(*, referral: Referral, cancelled: bool) -> None:
    """
    Free the interpreter's time once the appointment is over or off. When it is
    cancelled (declined or closed while booked) the interpreter no longer goes either;
    after it took place (attended, missed) they stay on the record.
    """
    referral.holds.all().delete()
    if cancelled:
        referral.interpreter = None
