"""
Reads of legal appointments, always scoped by who asks (legal/rules.py):

- legal.view_notes (legal role): every appointment, with case type and notes.
- legal.view_status (coordinators): every appointment's time, place, people and
  status; no case type, no notes.
- legal.view_upcoming (any other volunteer): only the appointments they interpret,
  with time, place, person and language.

Lists keep to the sites the user works at, with appointments by phone and their own.
Every read that shows appointments is audited here, so every entry point is.
"""

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from fieldapp.languages import Language
from services.accounts.models import User
from services.accounts.scoping import user_site_ids
from services.audit.actions import audit_record, audit_record_each
from services.people.models import Person
from services.scheduling.calendar import CalendarEvent
from services.scheduling.slots import Slot, slots_offer
from services.sites.models import Site

from .models import Appointment


def appointments_visible(user: User) -> QuerySet[Appointment]:
    appointments = Appointment.objects.select_related("person", "advisor", "interpreter", "site")
    if user.has_perm("legal.view_status"):
        return appointments
    if user.has_perm("legal.view_upcoming"):
        return appointments.filter(interpreter_id=user.pk)
    return appointments.none()


def appointments_listable(user: User) -> QuerySet[Appointment]:
    """appointments_visible() at the user's sites, by phone, or their own."""
    appointments = appointments_visible(user)
    site_ids = user_site_ids(user)
    if site_ids is None:
        return appointments
    return appointments.filter(
        Q(site_id__in=site_ids)
        | Q(site__isnull=True)
        | Q(advisor_id=user.pk)
        | Q(interpreter_id=user.pk)
    )


def appointment_get(*, user: User, pk: int) -> Appointment:
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
    *,
    user: User,
    start: datetime,
    end: datetime,
    appointments: QuerySet[Appointment] | None = None,
) -> QuerySet[Appointment]:
    """The listable appointments (or those given, already filtered) starting in start-end."""
    rows = appointments_listable(user) if appointments is None else appointments
    return rows.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id")


def move_slots(*, appointment: Appointment, first: date, days: int) -> list[Slot]:
    """
    Where an appointment can be moved: the slots offered for its language (so an
    interpreter still comes with an advisor who does not speak it), its own time counting
    as free so it can shift by half an hour, and its very slot left out.
    """
    offered = slots_offer(
        language=appointment.language, first=first, days=days, releasing=appointment.booking_id
    )
    current = (
        appointment.starts_at,
        appointment.advisor_id,
        appointment.interpreter_id,
        appointment.site_id,
    )
    return [slot for slot in offered if slot.ids != current]


def place_label(site: Site | None) -> str:
    """The neutral place: the site's name, or "by phone" in the active language."""
    return site.name if site is not None else _("By phone")


def appointments_upcoming_for_person(person: Person) -> list[tuple[datetime, str]]:
    """
    (starts_at, place) of the person's open legal appointments still to come, for the
    volunteer's "upcoming" block: nothing about the case, no notes. The caller checks
    legal.view_upcoming.
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


def calendar_events_of(
    *, user: User, start: datetime, end: datetime | None, view: str
) -> list[CalendarEvent]:
    """
    The calendar source of legal advice (registered in apps.py): the user's own
    appointments, as advisor or interpreter, from start, cancelled ones left out; when,
    where, whose card and which language, never the case type or notes. Audited.
    """
    if not user.has_perm("legal.view_upcoming"):
        return []
    rows = Appointment.objects.filter(Q(advisor=user) | Q(interpreter=user), starts_at__gte=start)
    if end is not None:
        rows = rows.filter(starts_at__lt=end)
    appointments = list(
        rows.exclude(status=Appointment.Status.CANCELLED)
        .select_related("person", "site")
        .order_by("starts_at", "id")
    )
    appointments_listed(user=user, appointments=appointments, view=view)
    return [
        CalendarEvent(
            uid=f"legal-{appointment.pk}@fieldapp",
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            summary=_("Appointment %(code)s (%(language)s)")
            % {"code": appointment.person.code, "language": Language(appointment.language).label},
            location=str(place_label(appointment.site)),
            cancelled=not appointment.is_open,
        )
        for appointment in appointments
    ]
