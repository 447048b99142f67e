"""
The distribution table on a volunteer's phone: today's sessions, the check-in screen and
queue tickets. Every page works without JavaScript; static/distributions/checkin.js adds
the camera, the API and the offline queue, and sw.js keeps the check-in page on the phone.
Thin: the rules are in actions/, the reads in selectors.py and services.people.
"""

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.middleware import as_fragment
from fieldapp.submissions import submitted_once
from services.accounts.requests import request_actor
from services.people.actions import person_register
from services.people.codes import CODE_ALPHABET

from . import selectors
from .actions.checkin import checkin_record
from .actions.tickets import ticket_call_next, ticket_issue
from .forms_table import (
    Lookup,
    RecordForm,
    RegisterForm,
    TicketForm,
    describe_lines,
    entitled_rows,
    find_person,
    offer_rows,
)
from .models import DistributionSession, SessionItem, Ticket
from .sizes import size_key

SERVICE_WORKER = Path(__file__).parent / "static" / "distributions" / "sw.js"
SHELL_HEADER = "X-Fieldapp-Shell"  # sw.js keeps only pages that carry it
TICKET_ONCE_KEY = "distributions_ticket_once"
TICKET_ONCE_KEPT = 20

CHECKIN_PERMS = (
    "distributions.view_distributionsession",
    "distributions.add_checkin",
    "people.view_person",
)
TICKET_PERMS = (
    "distributions.view_distributionsession",
    "distributions.add_ticket",
    "distributions.change_ticket",
)


def _session(request: HttpRequest, session_id: int) -> DistributionSession:
    """A session at one of the volunteer's sites: another site's is not found."""
    return get_object_or_404(selectors.sessions_visible(user=request.user), pk=session_id)


def _offers(session: DistributionSession) -> list[SessionItem]:
    return list(session.offers.select_related("item").order_by("item__category", "item__name"))


@permission_required("distributions.view_distributionsession", raise_exception=True)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Today's distributions (and any still open) at the volunteer's site."""
    user = request_actor(request)
    site = user.site
    sessions: list[DistributionSession] = []
    if site is not None:
        sessions = list(
            selectors.sessions_for_site(user=user, site=site)
            .filter(Q(date=timezone.localdate()) | Q(status=DistributionSession.Status.OPEN))
            .order_by("date", "starts_at")
        )
    return render(request, "distributions/table_home.html", {"site": site, "sessions": sessions})


def _found_context(
    session: DistributionSession,
    offers: list[SessionItem],
    lookup: Lookup | None,
    form: RecordForm | None = None,
) -> dict[str, object]:
    context: dict[str, object] = {"lookup": lookup, "form": form, "record_uuid": uuid.uuid4()}
    if lookup is not None and lookup.person is not None:
        entitled = selectors.person_entitlements(person=lookup.person, session=session)
        context["recent"] = entitled.recent[:5]
        context["audience"] = entitled.audience
        context["rows"] = entitled_rows(
            entitled.applying(), offers, selectors.stock_on_hand(site=session.site)
        )
        if form is not None and form.is_bound:
            context["chosen"] = set(form["line"].value() or ())
    return context


@permission_required(CHECKIN_PERMS, raise_exception=True)
@require_http_methods(["GET", "POST"])
@never_cache
def checkin(request: HttpRequest, session_id: int) -> HttpResponse:
    """
    GET ?code=… finds the person (card code or phone) and shows what they may take;
    POST records it under the uuid made when the form was shown, so a double submit
    records once. ?partial=1 returns only the found person, for checkin.js.
    """
    session = _session(request, session_id)
    offers = _offers(session)
    page = reverse("distributions_table:checkin", args=[session.pk])
    form = None
    lookup = None
    if request.method == "POST":
        form = RecordForm(request.POST, offers=offers)
        if form.is_valid():
            try:
                lookup = find_person(user=request.user, query=form.cleaned_data["person"])
                if lookup.person is None:
                    raise DomainError(lookup.message, field="person", code="not_found")
                lines = form.lines()
                checkin_record(
                    actor=request_actor(request),
                    session_id=session.pk,
                    person_code=lookup.person.code,
                    lines=lines,
                    client_uuid=form.cleaned_data["uuid"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                what = describe_lines(lines, {offer.item_id: offer.item for offer in offers})
                messages.success(
                    request,
                    _("Recorded: %(what)s") % {"what": f"{lookup.person.code} · {what}"},
                )
                return redirect(page)
        if lookup is None:
            lookup = find_person(user=request.user, query=request.POST.get("person", ""))
    elif request.GET.get("code", "").strip():
        lookup = find_person(user=request.user, query=request.GET["code"])
    context = {
        "session": session,
        "session_open": session.status == DistributionSession.Status.OPEN,
        "page": page,
        "query": lookup.query if lookup else "",
        "offline_rows": offer_rows(offers),
        "code_alphabet": CODE_ALPHABET,
        **_found_context(session, offers, lookup, form),
    }
    if request.GET.get("partial") and lookup is not None:
        return as_fragment(render(request, "distributions/table_checkin_found.html", context))
    response = render(request, "distributions/table_checkin.html", context)
    # Only the empty page, with no one-off notice on it, is kept on the phone for offline use.
    if request.method == "GET" and lookup is None and not len(messages.get_messages(request)):
        response[SHELL_HEADER] = "1"
    return response


@permission_required(("people.add_person", *CHECKIN_PERMS), raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    """A person without a card: registered at this session's site, then checked in."""
    session = _session(request, session_id)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_register(
                actor=request_actor(request),
                home_site=session.site,
                language=form.cleaned_data["language"],
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Registered. Card code: %(code)s") % {"code": person.code})
            page = reverse("distributions_table:checkin", args=[session.pk])
            return redirect(f"{page}?{urlencode({'code': person.code})}")
    return render(request, "distributions/table_register.html", {"session": session, "form": form})


@login_not_required  # a static script with nothing private in it; its scope needs this URL
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("distributions_table:home")
    response["Cache-Control"] = "no-cache"
    return response


def _queue_context(session: DistributionSession) -> dict[str, object]:
    called = (
        session.tickets.filter(status=Ticket.Status.CALLED)
        .order_by("-called_at", "-number")
        .first()
    )
    return {
        "now_calling": called.number if called else None,
        "waiting": session.tickets.filter(status=Ticket.Status.WAITING).count(),
        "demand": sorted(selectors.ticket_demand(session=session), key=_demand_order),
    }


def _demand_order(row: selectors.DemandRow) -> tuple[str, tuple[int, float, str]]:
    return row.item.display_name(), size_key(row.size)


def _number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@permission_required(TICKET_PERMS, raise_exception=True)
@require_http_methods(["GET", "POST"])
@never_cache
def tickets(request: HttpRequest, session_id: int) -> HttpResponse:
    """
    Numbered tickets, one tap each (plain or for an item and size), one tap to call the
    next number, and the demand per size against stock. A form is acted on once: a
    double tap shows the first result again.
    """
    session = _session(request, session_id)
    offers = _offers(session)
    page = reverse("distributions_table:tickets", args=[session.pk])
    if request.method == "POST":
        done: dict[str, str] = request.session.get(TICKET_ONCE_KEY, {})
        once = request.POST.get("once", "")[:40]
        if once in done:
            return redirect(page + done[once])
        form = TicketForm(request.POST, offers=offers)
        result = ""
        if form.is_valid():
            try:
                if form.cleaned_data["do"] == "call":
                    ticket = ticket_call_next(session=session)
                    result = f"?called={ticket.number}" if ticket else "?called=none"
                else:
                    item, size = form.item_and_size()
                    ticket = ticket_issue(session=session, item=item, size=size)
                    result = f"?issued={ticket.number}"
            except DomainError as error:
                messages.error(request, error.message)
        if once:
            done[once] = result
            request.session[TICKET_ONCE_KEY] = dict(list(done.items())[-TICKET_ONCE_KEPT:])
        return redirect(page + result)
    context = {
        "session": session,
        "page": page,
        "rows": offer_rows(offers),
        "issued": _number(request, "issued"),
        "called": _number(request, "called"),
        "nobody_waiting": request.GET.get("called") == "none",
        "once": uuid.uuid4(),
        **_queue_context(session),
    }
    if request.GET.get("partial") == "live":
        return as_fragment(render(request, "distributions/table_tickets_live.html", context))
    return render(request, "distributions/table_tickets.html", context)
