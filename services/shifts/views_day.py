"""
Running the day at a site, on a phone: who is on now and next with one tap to mark each
arrived (the team lead's and coordinators' page), and the handover log every shift
reads and writes. Thin: the rules are in the actions and selectors.
"""

from datetime import date, timedelta
from typing import Any

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
from fieldapp.submissions import submitted_once
from services.accounts.requests import request_actor
from services.accounts.scoping import sites_of

from . import selectors, today
from .actions.handover import handover_note_add, handover_note_read
from .actions.signups import signup_arrived
from .forms import HandoverForm
from .views import allowed, back, day_from


@require_GET
def day(request: HttpRequest) -> HttpResponse:
    """Today at this site: on now, on next, arrivals, phones, languages covered now."""
    actor = allowed(request, "shifts.run_day")
    sites = list(selectors.sites_run_by(actor))
    site = selectors.site_choice(actor, request.GET.get("site"), sites)
    context: dict[str, Any] = {"sites": sites, "site": site}
    if site is not None:
        context["day"] = today.day_at_site(user=actor, site=site)
    return render(request, "shifts/today.html", context)


@require_POST
def arrived(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: here. Tapped by mistake, the same button takes it back."""
    actor = request_actor(request)
    signup = selectors.signup_get(user=actor, pk=pk)
    try:
        signup_arrived(actor=actor, signup=signup, arrived=request.POST.get("arrived") != "0")
    except DomainError as error:
        messages.error(request, error.message)
    return back(request, "shifts:today")


def _handover_url(site_id: int, day: date) -> str:
    query = urlencode({"site": str(site_id), "day": day.isoformat()})
    return f"{reverse('shifts:handover')}?{query}"


@require_http_methods(["GET", "POST"])
@submitted_once
def handover(request: HttpRequest) -> HttpResponse:
    """A site's handover notes of a day and the day before (today's and yesterday's first)."""
    actor = allowed(request, "shifts.view_handovernote")
    sites = list(sites_of(actor))
    site = selectors.site_choice(actor, request.GET.get("site"), sites)
    if site is None:
        return render(request, "shifts/handover.html", {"sites": sites, "site": None})
    shown = min(day_from(request.GET.get("day", "")), timezone.localdate())
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover_note_add(actor=actor, site=site, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Note added for the next shift."))
            return redirect(_handover_url(site.pk, timezone.localdate()))
    context = {
        "sites": sites,
        "site": site,
        "form": form,
        "shown": shown,
        "days": [
            (day, list(today.handover_notes(user=actor, site=site, day=day)))
            for day in (shown, shown - timedelta(days=1))
        ],
        "earlier": shown - timedelta(days=1),
        "later": shown + timedelta(days=1) if shown < timezone.localdate() else None,
    }
    return render(request, "shifts/handover.html", context, status=400 if form.errors else 200)


@require_POST
def handover_read(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    note = today.handover_note_get(user=actor, pk=pk)
    handover_note_read(actor=actor, note=note)
    return back(request, "shifts:handover")
