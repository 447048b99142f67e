"""
What is done about a missed legal appointment: it is rebooked (a new appointment for
the same person, language and case, linked from the missed one) or closed with a
reason. Until then it waits on the legal team's home page. One follow-up each: the
database refuses a second (Appointment's follow-up constraint and the row lock).
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record

from .actions import SlotChoice, _event, _locked, _require, appointment_book
from .models import Appointment, AppointmentEvent
from .selectors import appointments_listable

S = Appointment.Status
F = Appointment.FollowUp


def no_shows_to_follow_up(*, user: User) -> QuerySet[Appointment]:
    """Missed appointments nobody has rebooked or closed, oldest first, at the user's sites."""
    if not user.has_perm("legal.change_appointment"):
        return Appointment.objects.none()
    return appointments_listable(user).filter(status=S.NO_SHOW, follow_up=F.PENDING)


def follow_up_refusal(appointment: Appointment) -> DomainError | None:
    """Why this appointment cannot be followed up, or None."""
    if appointment.status != S.NO_SHOW:
        return DomainError(_("Only a missed appointment is followed up."), code="not_missed")
    if appointment.follow_up != F.PENDING:
        return DomainError(
            _("This missed appointment was already followed up."), code="followed_up"
        )
    return None


def _followable(actor: User, appointment: Appointment) -> Appointment:
    _require(actor, "legal.change_appointment", appointment)
    appointment = _locked(appointment)
    refusal = follow_up_refusal(appointment)
    if refusal is not None:
        raise refusal
    return appointment


@transaction.atomic
def appointment_no_show_rebook(
    *, actor: User, appointment: Appointment, slot: SlotChoice
) -> Appointment:
    """Book the person again, in the same language and case; the missed one points to it."""
    appointment = _followable(actor, appointment)
    new = appointment_book(
        actor=actor,
        person=appointment.person,
        language=appointment.language,
        slot=slot,
        case_type=appointment.case_type,
        notes=appointment.notes,
    )
    appointment.follow_up = F.REBOOKED
    appointment.rebooked_as = new
    appointment.save(update_fields=["follow_up", "rebooked_as", "updated_at"])
    _event(appointment, AppointmentEvent.Kind.REBOOKED, actor, AppointmentEvent.Via.APP)
    audit_record(
        actor=actor,
        action="legal.appointment.follow_up",
        target=appointment,
        details={"outcome": F.REBOOKED, "rebooked_as": new.pk},
    )
    return new


@transaction.atomic
def appointment_no_show_close(*, actor: User, appointment: Appointment, reason: str) -> Appointment:
    """Nothing more to book: the reason is one of CloseReason, never free text."""
    if reason not in Appointment.CloseReason.values:
        raise DomainError(_("Choose a reason from the list."), field="reason", code="invalid")
    appointment = _followable(actor, appointment)
    appointment.follow_up = F.CLOSED
    appointment.follow_up_reason = reason
    appointment.save(update_fields=["follow_up", "follow_up_reason", "updated_at"])
    _event(appointment, AppointmentEvent.Kind.CLOSED, actor, AppointmentEvent.Via.APP)
    audit_record(
        actor=actor,
        action="legal.appointment.follow_up",
        target=appointment,
        details={"outcome": F.CLOSED, "reason": reason},
    )
    return appointment
