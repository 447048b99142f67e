"""
Writes for legal appointments. Each checks who asks (services.casework.access), changes
the rows atomically, audits the change (field names, never note text) and keeps the SMS
reminders in step, in the same transaction.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from fieldapp.languages import Language
from services.accounts.models import SpokenLanguage, User
from services.audit.actions import audit_record
from services.casework.access import Access, Area, area_require
from services.people.models import Person
from services.sites.models import Site

from .models import (
    Appointment,
    AppointmentEvent,
    Availability,
    CalendarFeed,
    SlotHold,
    appointment_length,
)
from .reminders import reminders_cancel, reminders_schedule
from .slots import Slot, cells, on_grid, slots_offer

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
            if timezone.is_naive(starts_at):
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


def _require_full(actor: User) -> None:
    area_require(actor, Area.LEGAL, Access.FULL)


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
    holds = [
        SlotHold(user_id=user_id, starts_at=cell, appointment=appointment)
        for user_id in users
        for cell in cells(appointment.starts_at, appointment.ends_at)
    ]
    try:
        with transaction.atomic():
            SlotHold.objects.bulk_create(holds)
    except IntegrityError as error:
        raise Conflict(
            _("This slot was just taken; pick another."), field="slot", code="slot_taken"
        ) from error


def _event(appointment: Appointment, kind: str, actor: User | None, via: str) -> None:
    AppointmentEvent.objects.create(appointment=appointment, kind=kind, actor=actor, via=via)


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
    _require_full(actor)
    if language not in Language.values:
        raise DomainError(_("Choose a language from the list."), field="language")
    if case_type not in Appointment.CaseType.values:
        raise DomainError(_("Choose a case type from the list."), field="case_type")
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
        .select_related("person", "site")
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
    _require_full(actor)
    appointment = _locked(appointment)
    refusal = appointment_move_refusal(appointment)
    if refusal is not None:
        raise refusal
    offered = _offered(slot, appointment.language)
    appointment.holds.all().delete()
    appointment.advisor = offered.advisor
    appointment.interpreter = offered.interpreter
    appointment.starts_at = offered.starts_at
    appointment.ends_at = offered.ends_at
    appointment.site = offered.site
    appointment.status = S.BOOKED
    appointment.save()
    _hold(appointment)
    _event(appointment, AppointmentEvent.Kind.RESCHEDULED, actor, AppointmentEvent.Via.APP)
    reminders_schedule(appointment)
    audit_record(actor=actor, action="legal.appointment.reschedule", target=appointment)
    return appointment


@transaction.atomic
def appointment_set_status(
    *, actor: User | None, appointment: Appointment, status: str, via: str = "app"
) -> Appointment:
    """
    Move the appointment along TRANSITIONS. Cancelling frees the advisor's and the
    interpreter's time and cancels the reminders. actor None is the person, by SMS.
    """
    if actor is not None:
        _require_full(actor)
    appointment = _locked(appointment)
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
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    if status == S.CANCELLED:
        appointment.holds.all().delete()
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
    _require_full(actor)
    appointment = _locked(appointment)
    changes = {"notes": notes.strip(), "outcome_notes": outcome_notes.strip()}
    changed = [name for name, value in changes.items() if getattr(appointment, name) != value]
    if changed:
        for name in changed:
            setattr(appointment, name, changes[name])
        appointment.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="legal.appointment.notes",
            target=appointment,
            details={"fields": changed},
        )
    return appointment


def _check_time(name: str, value: time) -> None:
    if not on_grid(value):
        raise DomainError(
            _("Use times on the hour or half past, e.g. 09:00 or 09:30."),
            field=name,
            code="off_grid",
        )


@transaction.atomic
def availability_add(
    *,
    actor: User,
    role: str,
    start_time: time,
    end_time: time,
    site: Site | None,
    weekday: int | None = None,
    day: date | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Availability:
    """A weekly window (weekday) or a one-off session (day), at a site or by phone."""
    if role == Availability.Role.ADVISOR:
        _require_full(actor)
    elif role == Availability.Role.INTERPRETER:
        area_require(actor, Area.LEGAL, Access.UPCOMING)
        if not SpokenLanguage.objects.filter(user=actor).exists():
            raise DomainError(
                _("Add the languages you speak first."), field="role", code="no_languages"
            )
    else:
        raise DomainError(_("Choose advisor or interpreter."), field="role")
    _check_time("start_time", start_time)
    _check_time("end_time", end_time)
    if end_time <= start_time:
        raise DomainError(_("The end must be after the start."), field="end_time", code="order")
    minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    length = int(appointment_length().total_seconds() // 60)
    if minutes < length:
        raise DomainError(
            _("Make it at least one appointment long (%(minutes)d minutes).") % {"minutes": length},
            field="end_time",
            code="too_short",
        )
    if (weekday is None) == (day is None):
        raise DomainError(_("Choose a weekday or a date."), field="weekday", code="required")
    if weekday is not None and weekday not in Availability.Weekday.values:
        raise DomainError(_("Choose a weekday from the list."), field="weekday")
    if day is not None and day < timezone.localdate():
        raise DomainError(_("Choose a date from today on."), field="date", code="past")
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(
            _("The last day must be on or after the first."), field="valid_until", code="order"
        )
    if site is not None and not site.is_active:
        raise DomainError(_("This site is closed."), field="site", code="closed")
    row = Availability.objects.create(
        user=actor,
        role=role,
        repeat=Availability.Repeat.WEEKLY if weekday is not None else Availability.Repeat.ONCE,
        weekday=weekday,
        date=day,
        valid_from=valid_from if weekday is not None else None,
        valid_until=valid_until if weekday is not None else None,
        start_time=start_time,
        end_time=end_time,
        site=site,
    )
    audit_record(actor=actor, action="legal.availability.add", target=row)
    return row


@transaction.atomic
def availability_remove(*, actor: User, availability: Availability) -> None:
    """Removing availability does not touch appointments already booked in it."""
    if availability.user_id != actor.pk:
        raise DomainError(_("No such availability."), code="not_found")
    audit_record(actor=actor, action="legal.availability.remove", target=availability)
    availability.delete()


@transaction.atomic
def spoken_language_set(*, actor: User, language: str, level: str) -> SpokenLanguage:
    if language not in Language.values:
        raise DomainError(_("Choose a language from the list."), field="language")
    if level not in SpokenLanguage.Level.values:
        raise DomainError(_("Choose a level from the list."), field="level")
    row, _created = SpokenLanguage.objects.update_or_create(
        user=actor, language=language, defaults={"level": level}
    )
    return row


@transaction.atomic
def spoken_language_remove(*, actor: User, language: str) -> None:
    SpokenLanguage.objects.filter(user=actor, language=language).delete()


@transaction.atomic
def calendar_feed_renew(*, actor: User) -> CalendarFeed:
    """A new secret address for the user's iCal feed; the old address stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(32)}
    )
    audit_record(actor=actor, action="legal.calendar_feed.renew", target=feed)
    return feed
