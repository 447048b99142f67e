"""
A volunteer's shift screens on a phone: my shifts (and my calendar address), the open
shifts that fit me, and the one tap that signs me up or takes me off. Thin: the
selectors say what is shown, the actions decide (shifts/rules.py says who may).
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.accounts.requests import request_actor
from services.scheduling import actions as scheduling_actions
from services.scheduling import selectors as scheduling_selectors

from . import selectors
from .actions.signups import LATE, signup_create, signup_withdraw
from .filters import ShiftFilter
from .models import Shift


def allowed(request: HttpRequest, permission: str) -> User:
    """The signed-in user, if they hold the permission; PermissionDenied (403) if not."""
    actor = request_actor(request)
    if not actor.has_perm(permission):
        raise PermissionDenied
    return actor


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the tap came from (a local address only), or to `default`."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(default)
    return redirect(target)


def day_from(text: str) -> date:
    """A date (YYYY-MM-DD) from a query string, within reach of today; else today."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return today
    return day if selectors.day_in_reach(day) else today


def when(shift: Shift) -> str:
    """'Tue 2/12 14:15–16:45', local."""
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{date_format(start, 'D j/m H:i')}–{date_format(end, 'H:i')}"


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """My shifts still to come, soonest first, and the address of my calendar feed."""
    actor = allowed(request, "shifts.view_shift")
    feed = scheduling_selectors.calendar_feed_of(actor)
    feed_url = request.build_absolute_uri(reverse("shifts:feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "shifts/mine.html",
        {
            "signups": selectors.signups_of(user=actor),
            "now": timezone.now(),
            "soon": timezone.now() + LATE,
            "feed_url": feed_url,
            "runs_day": actor.has_perm("shifts.run_day"),
        },
    )


@require_GET
def open_shifts(request: HttpRequest) -> HttpResponse:
    """The shifts I can take, what I bring to each marked, one tap to sign up."""
    actor = allowed(request, "shifts.sign_up")
    found = ShiftFilter(
        request.GET or None, queryset=selectors.shifts_visible(actor), request=request
    )
    rows = selectors.shifts_open_for(user=actor, shifts=found.qs)
    return render(request, "shifts/open.html", {"rows": rows, "filter": found})


@require_POST
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    actor = allowed(request, "shifts.sign_up")
    shift = selectors.shift_get(user=actor, pk=pk)
    try:
        signup_create(actor=actor, shift=shift)
    except DomainError as error:
        messages.error(request, error.message)
        return back(request, "shifts:open")
    messages.success(
        request,
        _("You are on it: %(when)s, %(site)s.") % {"when": when(shift), "site": shift.site.name},
    )
    return back(request, "shifts:mine")


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    signup = selectors.signup_get(user=actor, pk=pk)
    try:
        signup = signup_withdraw(actor=actor, signup=signup)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if signup.withdrawn_late:
            messages.success(request, _("Withdrawn. The coordinators are told the shift is short."))
        else:
            messages.success(request, _("Withdrawn: your place is free for someone else."))
    return back(request, "shifts:mine")


@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    actor = allowed(request, "scheduling.use_calendar_feed")
    scheduling_actions.calendar_feed_renew(actor=actor)
    messages.success(request, _("New calendar address made: the old one no longer works."))
    return redirect("shifts:mine")
