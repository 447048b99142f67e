"""
The legal screens on a phone: home, booking, an appointment, the calendar and one's own
availability. Thin: access through selectors (services.casework.access), rules in
actions.py. What each role sees: FULL everything, STATUS (coordinators) no case type and
no notes, an interpreter only their own bookings' time, place, person and language.
"""

from datetime import date, datetime, timedelta
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from services.accounts.models import SpokenLanguage, User
from services.casework.access import Access, Area, area_require
from services.people.models import Person
from services.people.selectors import person_get

from . import actions, selectors
from .forms import (
    AvailabilityForm,
    BookForm,
    FindPersonForm,
    LanguageForm,
    MoveForm,
    NotesForm,
    StatusForm,
)
from .models import Appointment, Availability, CalendarFeed
from .slots import slots_offer

BOOK_DAYS = 14


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # LoginRequiredMiddleware: every view here is signed in


def _access(request: HttpRequest, at_least: Access) -> Access:
    return area_require(request.user, Area.LEGAL, at_least)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The next two weeks' appointments this user may see, and where to go next."""
    access = _access(request, Access.UPCOMING)
    now = timezone.now()
    end = now + timedelta(days=14)
    shown = list(selectors.appointments_between(user=request.user, start=now, end=end))
    selectors.appointments_listed(user=_actor(request), appointments=shown, view="home")
    interpreting = selectors.interpreting_between(user=request.user, start=now, end=end)
    selectors.interpreting_listed(user=_actor(request), bookings=interpreting, view="home")
    counts: dict[str, int] = {}
    for appointment in shown:
        label = appointment.get_status_display()
        counts[label] = counts.get(label, 0) + 1
    return render(
        request,
        "legal/home.html",
        {
            "access": access,
            "items": _by_time(shown, interpreting),
            "counts": sorted(counts.items()),
        },
    )


def _by_time(
    appointments: list[Appointment], interpreting: list[selectors.InterpretingBooking]
) -> list[Appointment | selectors.InterpretingBooking]:
    """Legal appointments and the medical ones one interprets, in one list by time."""
    items: list[Appointment | selectors.InterpretingBooking] = [*appointments, *interpreting]
    return sorted(items, key=lambda item: item.starts_at)


def _slot_label(slot: Any) -> str:
    local = timezone.localtime(slot.starts_at)
    who = slot.advisor.get_username()
    if slot.interpreter is not None:
        who = _("%(advisor)s with interpreter %(interpreter)s") % {
            "advisor": who,
            "interpreter": slot.interpreter.get_username(),
        }
    return "%(when)s · %(place)s · %(who)s" % {
        "when": local.strftime("%d/%m %H:%M"),
        "place": selectors.place_label(slot.site),
        "who": who,
    }


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Find the person by code, offer slots in their language, book the one chosen."""
    _access(request, Access.FULL)
    find = FindPersonForm(request.GET or None)
    person: Person | None = None
    language = ""
    first = timezone.localdate()
    if find.is_bound and find.is_valid():
        try:
            person = person_get(user=request.user, code=find.cleaned_data["code"])
        except DomainError as error:
            add_domain_error(find, error)
        else:
            language = find.cleaned_data["language"] or person.language
            first = max(find.cleaned_data["first"] or first, first)
    if person is None:
        return render(request, "legal/book.html", {"find": find})
    offered = slots_offer(language=language, first=first, days=BOOK_DAYS)
    choices = [(slot.key, _slot_label(slot)) for slot in offered]
    # Bound on any POST, even an empty one, so a form sent with nothing chosen says why.
    form = BookForm(request.POST if request.method == "POST" else None, slots=choices)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            appointment = actions.appointment_book(
                actor=_actor(request),
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
    elif request.method == "POST":
        status = 400
    context = {"find": find, "person": person, "language": language, "form": form}
    return render(request, "legal/book.html", context, status=status)


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the slots an open appointment can move to, and move it to the one picked."""
    _access(request, Access.FULL)
    if request.method == "POST":
        appointment = selectors.appointment_get(user=request.user, pk=pk)
    else:
        appointment = selectors.appointment_read(user=_actor(request), pk=pk)
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
        slots=[(slot.key, _slot_label(slot)) for slot in offered],
    )
    status = 200
    if form.is_bound and form.is_valid():
        try:
            actions.appointment_reschedule(
                actor=_actor(request),
                appointment=appointment,
                slot=actions.SlotChoice.parse(form.cleaned_data["slot"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("Appointment moved."))
            return redirect(appointment)
    elif form.is_bound:
        status = 400
    context["form"] = form
    return render(request, "legal/move.html", context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, Access.UPCOMING)
    appointment = selectors.appointment_read(user=_actor(request), pk=pk)
    return render(request, "legal/detail.html", _detail_context(access, appointment))


def _detail_context(access: Access, appointment: Appointment, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "access": access,
        "appointment": appointment,
        "place": selectors.place_label(appointment.site),
    }
    if access >= Access.STATUS:
        context["events"] = list(appointment.events.select_related("actor"))
    if access == Access.FULL:
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


@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, Access.UPCOMING)
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    _access(request, Access.FULL)
    form = StatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.appointment_set_status(
                actor=_actor(request), appointment=appointment, status=form.cleaned_data["status"]
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
        _detail_context(access, appointment, status_error=error),
        status=400,
    )


@require_POST
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, Access.UPCOMING)
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    _access(request, Access.FULL)
    form = NotesForm(request.POST)
    if form.is_valid():
        actions.appointment_notes_update(
            actor=_actor(request), appointment=appointment, **form.cleaned_data
        )
        messages.success(request, _("Notes saved."))
        return redirect(appointment)
    return render(
        request,
        "legal/detail.html",
        _detail_context(access, appointment, notes_form=form),
        status=400,
    )


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """A day, or a week from Monday; ?mine=1 keeps only one's own appointments."""
    access = _access(request, Access.UPCOMING)
    week = request.GET.get("view") == "week"
    mine = request.GET.get("mine") == "1" or access < Access.STATUS
    day = _day(request.GET.get("date"))
    first = day - timedelta(days=day.weekday()) if week else day
    days = [first + timedelta(days=n) for n in range(7 if week else 1)]
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()), tz)
    end = timezone.make_aware(
        datetime.combine(days[-1] + timedelta(days=1), datetime.min.time()), tz
    )
    shown = list(selectors.appointments_between(user=request.user, start=start, end=end, mine=mine))
    selectors.appointments_listed(user=_actor(request), appointments=shown, view="calendar")
    interpreting = selectors.interpreting_between(user=request.user, start=start, end=end)
    selectors.interpreting_listed(user=_actor(request), bookings=interpreting, view="calendar")
    items = _by_time(shown, interpreting)
    by_day = {d: [i for i in items if timezone.localtime(i.starts_at).date() == d] for d in days}
    step = timedelta(days=7 if week else 1)
    own = request.GET.get("mine") == "1"

    def link(to: date, *, as_week: bool = week, only_mine: bool = own) -> str:
        query = {"date": to.isoformat(), "view": "week" if as_week else "day"}
        if only_mine:
            query["mine"] = "1"
        return f"{reverse('legal:calendar')}?{urlencode(query)}"

    return render(
        request,
        "legal/calendar.html",
        {
            "access": access,
            "week": week,
            "mine": mine,
            "days": list(by_day.items()),
            "previous": link(first - step),
            "next": link(first + step),
            "day_link": link(day, as_week=False),
            "week_link": link(day, as_week=True),
            "mine_link": link(day, only_mine=True),
            "all_link": link(day, only_mine=False),
        },
    )


def _roles(request: HttpRequest, access: Access) -> list[str]:
    roles = [Availability.Role.INTERPRETER.value]
    if access == Access.FULL:
        roles.insert(0, Availability.Role.ADVISOR.value)
    return roles


def _availability_page(
    request: HttpRequest,
    access: Access,
    form: AvailabilityForm | None = None,
    language_form: LanguageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _actor(request)
    feed = CalendarFeed.objects.filter(user=user).first()
    feed_url = request.build_absolute_uri(reverse("legal:feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "legal/availability.html",
        {
            "access": access,
            "rows": list(selectors.availability_of(user)),
            "languages": list(SpokenLanguage.objects.filter(user=user).order_by("language")),
            "form": form or AvailabilityForm(roles=_roles(request, access)),
            "language_form": language_form or LanguageForm(),
            "feed_url": feed_url,
        },
        status=status,
    )


@require_GET
def availability(request: HttpRequest) -> HttpResponse:
    return _availability_page(request, _access(request, Access.UPCOMING))


@require_POST
def availability_add(request: HttpRequest) -> HttpResponse:
    access = _access(request, Access.UPCOMING)
    form = AvailabilityForm(request.POST, roles=_roles(request, access))
    if form.is_valid():
        try:
            actions.availability_add(actor=_actor(request), **form.action_kwargs())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Availability added."))
            return redirect("legal:availability")
    return _availability_page(request, access, form=form, status=400)


@require_POST
def availability_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _access(request, Access.UPCOMING)
    row = selectors.availability_get(user=request.user, pk=pk)
    actions.availability_remove(actor=_actor(request), availability=row)
    messages.success(request, _("Availability removed."))
    return redirect("legal:availability")


@require_POST
def language_add(request: HttpRequest) -> HttpResponse:
    access = _access(request, Access.UPCOMING)
    form = LanguageForm(request.POST)
    if form.is_valid():
        actions.spoken_language_set(actor=_actor(request), **form.cleaned_data)
        messages.success(request, _("Language saved."))
        return redirect("legal:availability")
    return _availability_page(request, access, language_form=form, status=400)


@require_POST
def language_remove(request: HttpRequest, language: str) -> HttpResponse:
    _access(request, Access.UPCOMING)
    actions.spoken_language_remove(actor=_actor(request), language=language)
    messages.success(request, _("Language removed."))
    return redirect("legal:availability")


@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    _access(request, Access.UPCOMING)
    actions.calendar_feed_renew(actor=_actor(request))
    messages.success(request, _("New calendar address made: the old one no longer works."))
    return redirect("legal:availability")
