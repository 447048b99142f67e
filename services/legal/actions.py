"""
Writes for legal appointments. Each checks who asks (legal/rules.py), changes the rows
atomically, audits the change (field names, never note text) and keeps the booked
time (services/scheduling) and the SMS reminders in step, in the same transaction.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.dates import implausible_date
from fieldapp.errors import Conflict, DomainError
from fieldapp.languages import Language
from services.accounts.models import User
from services.audit.actions import audit_record, model_update
from services.people.models import Person
from services.scheduling.actions import (
    SlotTaken,
    booking_create,
    booking_hold,
    booking_release,
)
from services.scheduling.slots import Slot, slots_offer

from .models import Appointment, AppointmentEvent
from .reminders import reminders_cancel, reminders_schedule

S = Appointment.Status
# Which status may follow which. Cancelled, attended and no-show are final.
TRANSITIONS: dict[str, set[str]] = {
    S.BOOKED: {S.CONFIRMED, S.CANCELLED, S.ATTENDED, S.NO_SHOW},
    S.CONFIRMED: {S.CANCELLED, S.ATTENDED, S.NO_SHOW},
    S.CANCELLED: set(),
    S.ATTENDED: set(),
    S.NO_SHOW: set(),
}
AFTER_START_ONLY = {S.ATTENDED, S.NO_SHOW}


@dataclass(frozen=True)
class SlotChoice:
    """A slot as chosen on the form or in the API, before it is checked."""

    starts_at: datetime
    advisor_id: int
    interpreter_id: int | None
    site_id: int | None

    @classmethod
    def parse(cls, key: str) -> "SlotChoice":
        """Read Slot.key back; a malformed key is a DomainError on the slot field."""
        try:
            starts, advisor, interpreter, site = key.split("|")
            starts_at = datetime.fromisoformat(starts)
            if timezone.is_naive(starts_at) or implausible_date(starts_at):
                raise ValueError(starts)
            return cls(
                starts_at,
                int(advisor),
                int(interpreter) if interpreter else None,
                int(site) if site else None,
            )
        except ValueError as error:
            raise DomainError(
                _("Choose one of the offered slots."), field="slot", code="invalid"
            ) from error


def _require(actor: User, permission: str, appointment: Appointment | None = None) -> None:
    if not actor.has_perm(permission, appointment):
        raise PermissionDenied


def _offered(choice: SlotChoice, language: str) -> Slot:
    local = timezone.localtime(choice.starts_at, timezone.get_default_timezone())
    found = slots_offer(
        language=language,
        first=local.date(),
        days=1,
        only=(choice.starts_at, choice.advisor_id, choice.interpreter_id, choice.site_id),
    )
    if not found:
        raise DomainError(
            _("This slot is not offered for this language. Pick one from the list."),
            field="slot",
            code="not_offered",
        )
    return found[0]


def _hold(appointment: Appointment) -> None:
    """Take the appointment's cells for its advisor and interpreter: the database decides."""
    users = [appointment.advisor_id]
    if appointment.interpreter_id is not None:
        users.append(appointment.interpreter_id)
    try:
        booking_hold(
            booking=appointment.booking,
            users=users,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
        )
    except SlotTaken as error:
        raise Conflict(
            _("This slot was just taken; pick another."), field="slot", code="slot_taken"
        ) from error


def _event(appointment: Appointment, kind: str, actor: User | None, via: str) -> None:
    AppointmentEvent.objects.create(appointment=appointment, kind=kind, actor=actor, via=via)


def _check_choices(language: str, case_type: str) -> None:
    if language not in Language.values:
        raise DomainError(_("Choose a language from the list."), field="language")
    if case_type not in Appointment.CaseType.values:
        raise DomainError(_("Choose a case type from the list."), field="case_type")


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    person: Person,
    language: str,
    slot: SlotChoice,
    case_type: str,
    notes: str = "",
) -> Appointment:
    _require(actor, "legal.add_appointment")
    _check_choices(language, case_type)
    offered = _offered(slot, language)
    appointment = Appointment.objects.create(
        person=person,
        advisor=offered.advisor,
        interpreter=offered.interpreter,
        starts_at=offered.starts_at,
        ends_at=offered.ends_at,
        site=offered.site,
        language=language,
        case_type=case_type,
        notes=notes.strip(),
        booking=booking_create(),
        created_by=actor,
    )
    _hold(appointment)
    _event(appointment, AppointmentEvent.Kind.BOOKED, actor, AppointmentEvent.Via.APP)
    reminders_schedule(appointment)
    audit_record(
        actor=actor,
        action="legal.appointment.book",
        target=appointment,
        details={"fields": ["notes"] if appointment.notes else []},
    )
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("person", "site", "booking")
        .get(pk=appointment.pk)
    )


def appointment_move_refusal(appointment: Appointment) -> DomainError | None:
    """Why this appointment cannot be moved now, or None: it must be open and not started."""
    if not appointment.is_open:
        return DomainError(
            _("Only a booked or confirmed appointment can be moved."), code="not_open"
        )
    if timezone.now() >= appointment.starts_at:
        return DomainError(_("It has already started: it can no longer be moved."), code="started")
    return None


@transaction.atomic
def appointment_reschedule(
    *, actor: User, appointment: Appointment, slot: SlotChoice
) -> Appointment:
    """Move an open appointment to another offered slot; its reminders move with it."""
    _require(actor, "legal.change_appointment", appointment)
    appointment = _locked(appointment)
    refusal = appointment_move_refusal(appointment)
    if refusal is not None:
        raise refusal
    offered = _offered(slot, appointment.language)
    booking_release(booking=appointment.booking)
    model_update(
        appointment,
        {
            "advisor": offered.advisor,
            "interpreter": offered.interpreter,
            "starts_at": offered.starts_at,
            "ends_at": offered.ends_at,
            "site": offered.site,
            "status": S.BOOKED,
        },
        actor=actor,
        action="legal.appointment.reschedule",
    )
    _hold(appointment)
    _event(appointment, AppointmentEvent.Kind.RESCHEDULED, actor, AppointmentEvent.Via.APP)
    reminders_schedule(appointment)
    return appointment


def _check_transition(appointment: Appointment, status: str) -> None:
    if status not in TRANSITIONS.get(appointment.status, set()):
        raise DomainError(
            _("A %(current)s appointment cannot become %(new)s.")
            % {
                "current": appointment.get_status_display().lower(),
                "new": str(S(status).label).lower() if status in S.values else status,
            },
            field="status",
            code="bad_transition",
        )
    now = timezone.now()
    if status in AFTER_START_ONLY and now < appointment.starts_at:
        raise DomainError(
            _("Mark it attended or missed once it has started."),
            field="status",
            code="not_started",
        )
    if status == S.CANCELLED and now >= appointment.starts_at:
        raise DomainError(
            _("It has already started: mark it attended or missed instead."),
            field="status",
            code="started",
        )


@transaction.atomic
def appointment_set_status(
    *, actor: User | None, appointment: Appointment, status: str, via: str = "app"
) -> Appointment:
    """
    Move the appointment along TRANSITIONS. Cancelling frees the advisor's and the
    interpreter's time and cancels the reminders. actor None is the person, by SMS.
    """
    if actor is not None:
        _require(actor, "legal.change_appointment", appointment)
    appointment = _locked(appointment)
    _check_transition(appointment, status)
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    if status == S.CANCELLED:
        booking_release(booking=appointment.booking)
    if status != S.CONFIRMED:
        reminders_cancel(appointment, reason=status)
    _event(appointment, status, actor, via)
    audit_record(
        actor=actor,
        action=f"legal.appointment.status.{status}",
        target=appointment,
        details={"via": via} if via != AppointmentEvent.Via.APP else None,
    )
    return appointment


@transaction.atomic
def appointment_notes_update(
    *, actor: User, appointment: Appointment, notes: str, outcome_notes: str
) -> Appointment:
    _require(actor, "legal.change_appointment", appointment)
    appointment = _locked(appointment)
    model_update(
        appointment,
        {"notes": notes.strip(), "outcome_notes": outcome_notes.strip()},
        actor=actor,
        action="legal.appointment.notes",
    )
    return appointment
