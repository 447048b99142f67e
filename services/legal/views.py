"""
The legal screens on a phone: home, booking, an appointment and the calendar (one's
own availability is in views_availability.py). Thin: who may see what is asked of the
rules (legal/rules.py) through the selectors; the rules of booking are in actions.py,
availability and the calendar feed in services/scheduling. The legal role sees
everything, coordinators no case type and no notes, an interpreter only their own
bookings' time, place, person and language.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fieldapp.dates import implausible_date
from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.models import User
from services.accounts.requests import request_actor
from services.people.models import Person
from services.people.selectors import person_get
from services.scheduling.calendar import CalendarEvent, calendar_events
from services.scheduling.grid import local_datetime
from services.scheduling.slots import slots_offer

from . import actions, selectors
from .filters import AppointmentFilter
from .follow_up import no_shows_to_follow_up
from .forms import BookForm, FindPersonForm, MoveForm, NotesForm, StatusForm
from .models import Appointment
from .offers import FIRST_OFFERED, offers_of, slot_label

BOOK_DAYS = 14
Item = Appointment | CalendarEvent


def allowed(request: HttpRequest, permission: str) -> User:
    """The signed-in user, if they hold the permission; PermissionDenied (403) if not."""
    actor = request_actor(request)
    if not actor.has_perm(permission):
        raise PermissionDenied
    return actor


def _by_time(appointments: list[Appointment], events: list[CalendarEvent]) -> list[Item]:
    """Legal appointments and one's other bookings (interpreting elsewhere), by time."""
    items: list[Item] = [*appointments, *events]
    return sorted(items, key=lambda item: item.starts_at)


def _other_bookings(user: User, start: datetime, end: datetime, view: str) -> list[CalendarEvent]:
    """What the user is booked for by other apps (e.g. interpreting a medical appointment)."""
    return calendar_events(user=user, start=start, end=end, view=view, exclude=("legal",))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The next two weeks' appointments this user may see, and where to go next."""
    actor = allowed(request, "legal.view_upcoming")
    now = timezone.now()
    end = now + timedelta(days=14)
    shown = list(selectors.appointments_between(user=actor, start=now, end=end))
    selectors.appointments_listed(user=actor, appointments=shown, view="home")
    counts: dict[str, int] = {}
    for appointment in shown:
        label = appointment.get_status_display()
        counts[label] = counts.get(label, 0) + 1
    items = _by_time(shown, _other_bookings(actor, now, end, "home"))
    missed = list(no_shows_to_follow_up(user=actor).order_by("starts_at")[:50])
    selectors.appointments_listed(user=actor, appointments=missed, view="follow_up")
    context = {"items": items, "counts": sorted(counts.items()), "missed": missed}
    return render(request, "legal/home.html", context)


def _found(request: HttpRequest, find: FindPersonForm) -> tuple[Person | None, str, date]:
    """The person the booking form names, the language to book in, and the first day."""
    first = timezone.localdate()
    if not (find.is_bound and find.is_valid()):
        return None, "", first
    try:
        person = person_get(user=request_actor(request), code=find.cleaned_data["code"])
    except DomainError as error:
        add_domain_error(find, error)
        return None, "", first
    language = find.cleaned_data["language"]
    if not language:  # prefilled from the person: shown chosen on the form
        language = person.language
        data = find.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["language"] = language
        find.data = data
    return person, language, max(find.cleaned_data["first"] or first, first)


@require_http_methods(["GET", "POST"])
@submitted_once
def book(request: HttpRequest) -> HttpResponse:
    """
    Find the person by code, offer the next free slots in their language (an advisor,
    and an interpreter where the advisor does not speak it), and book the one tapped.
    """
    actor = allowed(request, "legal.add_appointment")
    find = FindPersonForm(request.GET or None)
    person, language, first = _found(request, find)
    if person is None:
        return render(request, "legal/book.html", {"find": find})
    offered = slots_offer(language=language, first=first, days=BOOK_DAYS)
    choices = [(slot.key, slot_label(slot)) for slot in offered]
    # Bound on any POST, even an empty one, so a form sent with nothing chosen says why.
    form = BookForm(request.POST if request.method == "POST" else None, slots=choices)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            appointment = actions.appointment_book(
                actor=actor,
                person=person,
                language=language,
                slot=actions.SlotChoice.parse(form.cleaned_data["slot"]),
                case_type=form.cleaned_data["case_type"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("Appointment booked."))
            return redirect(appointment)
    offers = offers_of(offered)
    context = {
        "find": find,
        "person": person,
        "language": language,
        "form": form,
        "offers": offers if request.GET.get("more") else offers[:FIRST_OFFERED],
        "more": len(offers) > FIRST_OFFERED and not request.GET.get("more"),
    }
    return render(request, "legal/book.html", context, status=status)


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the slots an open appointment can move to, and move it to the one picked."""
    actor = allowed(request, "legal.change_appointment")
    if request.method == "POST":
        appointment = selectors.appointment_get(user=actor, pk=pk)
    else:
        appointment = selectors.appointment_read(user=actor, pk=pk)
    refusal = actions.appointment_move_refusal(appointment)
    context: dict[str, Any] = {
        "appointment": appointment,
        "place": selectors.place_label(appointment.site),
    }
    if refusal is not None:
        context["refusal"] = refusal.message
        return render(request, "legal/move.html", context, status=refusal.status_code)
    offered = selectors.move_slots(
        appointment=appointment, first=timezone.localdate(), days=BOOK_DAYS
    )
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        slots=[(slot.key, slot_label(slot)) for slot in offered],
    )
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            actions.appointment_reschedule(
                actor=actor,
                appointment=appointment,
                slot=actions.SlotChoice.parse(form.cleaned_data["slot"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("Appointment moved."))
            return redirect(appointment)
    context["form"] = form
    return render(request, "legal/move.html", context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = allowed(request, "legal.view_upcoming")
    appointment = selectors.appointment_read(user=actor, pk=pk)
    return render(request, "legal/detail.html", _detail_context(actor, appointment))


def _detail_context(actor: User, appointment: Appointment, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "appointment": appointment,
        "place": selectors.place_label(appointment.site),
    }
    if actor.has_perm("legal.view_status", appointment):
        context["events"] = list(appointment.events.select_related("actor"))
    if actor.has_perm("legal.change_appointment", appointment):
        context["next_statuses"] = [
            (value, Appointment.Status(value).label)
            for value in actions.TRANSITIONS[appointment.status]
        ]
        context["notes_form"] = forms.get("notes_form") or NotesForm(
            initial={"notes": appointment.notes, "outcome_notes": appointment.outcome_notes}
        )
        context["status_error"] = forms.get("status_error", "")
        context["movable"] = actions.appointment_move_refusal(appointment) is None
    return context


def _changeable(request: HttpRequest, pk: int) -> tuple[User, Appointment]:
    """The appointment to change: 404 if it is not visible, 403 if not the legal role's."""
    actor = allowed(request, "legal.view_upcoming")
    appointment = selectors.appointment_get(user=actor, pk=pk)
    if not actor.has_perm("legal.change_appointment", appointment):
        raise PermissionDenied
    return actor, appointment


@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    actor, appointment = _changeable(request, pk)
    form = StatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.appointment_set_status(
                actor=actor, appointment=appointment, status=form.cleaned_data["status"]
            )
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Saved."))
            return redirect(appointment)
    else:
        error = " ".join(str(message) for message in form.errors.get("status", []))
    return render(
        request,
        "legal/detail.html",
        _detail_context(actor, appointment, status_error=error),
        status=400,
    )


@require_POST
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    actor, appointment = _changeable(request, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        actions.appointment_notes_update(actor=actor, appointment=appointment, **form.cleaned_data)
        messages.success(request, _("Notes saved."))
        return redirect(appointment)
    return render(
        request,
        "legal/detail.html",
        _detail_context(actor, appointment, notes_form=form),
        status=400,
    )


def _day(value: str | None) -> date:
    """The day asked for, today if none or unreadable; a year like 9999 is refused."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()
    problem = implausible_date(day)
    if problem:
        raise DomainError(problem, field="date")
    return day


def _calendar_links(first: date, day: date, week: bool, own: bool) -> dict[str, str]:
    step = timedelta(days=7 if week else 1)

    def link(to: date, *, as_week: bool = week, only_mine: bool = own) -> str:
        query = {"date": to.isoformat(), "view": "week" if as_week else "day"}
        if only_mine:
            query["mine"] = "1"
        return f"{reverse('legal:calendar')}?{urlencode(query)}"

    return {
        "previous": link(first - step),
        "next": link(first + step),
        "day_link": link(day, as_week=False),
        "week_link": link(day, as_week=True),
        "mine_link": link(day, only_mine=True),
        "all_link": link(day, only_mine=False),
    }


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """A day, or a week from Monday; ?mine=1 keeps only one's own appointments."""
    actor = allowed(request, "legal.view_upcoming")
    week = request.GET.get("view") == "week"
    own = request.GET.get("mine") == "1"
    mine = own or not actor.has_perm("legal.view_status")
    day = _day(request.GET.get("date"))
    first = day - timedelta(days=day.weekday()) if week else day
    days = [first + timedelta(days=n) for n in range(7 if week else 1)]
    start = local_datetime(first, datetime.min.time())
    end = local_datetime(days[-1] + timedelta(days=1), datetime.min.time())
    listed = AppointmentFilter(
        {"mine": "1" if mine else ""},
        queryset=selectors.appointments_listable(actor),
        request=request,
    ).qs
    shown = list(
        selectors.appointments_between(user=actor, start=start, end=end, appointments=listed)
    )
    selectors.appointments_listed(user=actor, appointments=shown, view="calendar")
    items = _by_time(shown, _other_bookings(actor, start, end, "calendar"))
    by_day = {d: [i for i in items if timezone.localtime(i.starts_at).date() == d] for d in days}
    return render(
        request,
        "legal/calendar.html",
        {
            "week": week,
            "mine": mine,
            "days": list(by_day.items()),
            **_calendar_links(first, day, week, own),
        },
    )
