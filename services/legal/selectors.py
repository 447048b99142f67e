"""
Reads of legal appointments, always scoped by services.casework.access:

- FULL (legal role): every appointment, with case type and notes.
- STATUS (coordinators): every appointment's time, place, people and status; no case
  type, no notes.
- UPCOMING (any other volunteer): only the appointments they interpret, with time,
  place, person and language.

An interpreter also sees the medical appointments they are booked for
(InterpretingBooking): time, place, card code and language, nothing medical.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from fieldapp.languages import Language
from services.accounts.models import User
from services.audit.actions import audit_record, audit_record_each
from services.casework.access import Access, Area, area_access
from services.people.models import Person
from services.referrals.models import Referral, referral_appointment_length
from services.sites.models import Site

from .models import Appointment, Availability, CalendarFeed
from .slots import Slot, slots_offer

AnyUser = AbstractBaseUser | AnonymousUser


def appointment_access(user: AnyUser) -> Access:
    return area_access(user, Area.LEGAL)


def appointments_visible(user: AnyUser) -> QuerySet[Appointment]:
    appointments = Appointment.objects.select_related("person", "advisor", "interpreter", "site")
    access = appointment_access(user)
    if access >= Access.STATUS:
        return appointments
    if access == Access.UPCOMING:
        return appointments.filter(interpreter_id=user.pk)
    return appointments.none()


def appointment_get(*, user: AnyUser, pk: int) -> Appointment:
    """The appointment if this user may see it; NotFound (404) otherwise, whatever exists."""
    appointment = appointments_visible(user).filter(pk=pk).first()
    if appointment is None:
        raise NotFound(_("No such appointment."), code="not_found")
    return appointment


def appointment_read(*, user: User, pk: int) -> Appointment:
    """appointment_get() for showing it: the read is audited."""
    appointment = appointment_get(user=user, pk=pk)
    audit_record(actor=user, action="legal.appointment.read", target=appointment)
    return appointment


def appointments_listed(
    *, user: User, appointments: list[Appointment], view: str
) -> list[Appointment]:
    """Record that this user was shown these appointments: one read entry per appointment."""
    audit_record_each(
        actor=user, action="legal.appointment.list", targets=appointments, details={"view": view}
    )
    return appointments


def appointments_between(
    *, user: AnyUser, start: datetime, end: datetime, mine: bool = False
) -> QuerySet[Appointment]:
    appointments = appointments_visible(user).filter(starts_at__gte=start, starts_at__lt=end)
    if mine:
        appointments = appointments.filter(Q(advisor_id=user.pk) | Q(interpreter_id=user.pk))
    return appointments.order_by("starts_at", "id")


def move_slots(*, appointment: Appointment, first: date, days: int) -> list[Slot]:
    """
    Where an appointment can be moved: the slots offered for its language (so an
    interpreter still comes with an advisor who does not speak it), its own time counting
    as free so it can shift by half an hour, and its very slot left out.
    """
    offered = slots_offer(
        language=appointment.language, first=first, days=days, releasing=appointment.pk
    )
    return [
        slot
        for slot in offered
        if (
            slot.starts_at,
            slot.advisor.pk,
            slot.interpreter.pk if slot.interpreter else None,
            slot.site.pk if slot.site else None,
        )
        != (
            appointment.starts_at,
            appointment.advisor_id,
            appointment.interpreter_id,
            appointment.site_id,
        )
    ]


def place_label(site: Site | None) -> str:
    """The neutral place: the site's name, or "by phone" in the active language."""
    return site.name if site is not None else _("By phone")


def appointments_upcoming_for_person(person: Person) -> list[tuple[datetime, str]]:
    """
    (starts_at, place) of the person's open legal appointments still to come, for the
    volunteer's "upcoming" block: nothing about the case, no notes.
    """
    rows = (
        Appointment.objects.filter(
            person=person,
            status__in=(Appointment.Status.BOOKED, Appointment.Status.CONFIRMED),
            ends_at__gt=timezone.now(),
        )
        .select_related("site")
        .order_by("starts_at")
    )
    return [(row.starts_at, place_label(row.site)) for row in rows]


def availability_of(user: AnyUser) -> QuerySet[Availability]:
    return Availability.objects.filter(user_id=user.pk or 0).select_related("site")


def availability_get(*, user: AnyUser, pk: int) -> Availability:
    row = availability_of(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such availability."), code="not_found")
    return row


def calendar_feed_user(token: str) -> User | None:
    """Whose feed this is, while they may still see their bookings (active, with a role)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or appointment_access(feed.user) < Access.UPCOMING:
        return None
    return feed.user


def feed_appointments(user: User) -> QuerySet[Appointment]:
    """What a user's iCal feed shows: their own open and past appointments of the last 30 days."""
    since = timezone.now() - timedelta(days=30)
    own = Appointment.objects.filter(Q(advisor=user) | Q(interpreter=user))
    return (
        own.filter(starts_at__gte=since)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("person", "site")
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class InterpretingBooking:
    """
    A medical appointment someone interprets, as they may see it: when, where (the
    referral's neutral place), whose card and which language. No partner, service,
    reason or note is read, so none can be shown.
    """

    referral_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    person_code: str
    language: str

    @property
    def language_label(self) -> str:
        return str(Language(self.language).label) if self.language in Language.values else ""


def interpreting_between(
    *, user: AnyUser, start: datetime, end: datetime | None = None
) -> list[InterpretingBooking]:
    """The medical appointments this user interprets from start (to end), soonest first."""
    if area_access(user, Area.MEDICAL) < Access.UPCOMING:
        return []
    rows = Referral.objects.filter(interpreter_id=user.pk, appointment_at__gte=start)
    if end is not None:
        rows = rows.filter(appointment_at__lt=end)
    length = referral_appointment_length()
    found = rows.order_by("appointment_at", "id").values_list(
        "pk", "appointment_at", "appointment_place", "person__code", "interpreter_language"
    )
    return [
        InterpretingBooking(pk, starts_at, starts_at + length, place, code, language)
        for pk, starts_at, place, code, language in found
        if starts_at is not None
    ]


def interpreting_listed(
    *, user: User, bookings: list[InterpretingBooking], view: str
) -> list[InterpretingBooking]:
    """Record that this user was shown these medical appointments: one entry per referral."""
    audit_record_each(
        actor=user,
        action="referral.interpreting.list",
        targets=[Referral(pk=booking.referral_id) for booking in bookings],
        details={"view": view},
    )
    return bookings


def feed_interpreting(user: User) -> list[InterpretingBooking]:
    """The medical appointments in a user's iCal feed: those of the last 30 days on."""
    return interpreting_between(user=user, start=timezone.now() - timedelta(days=30))
