"""
Planning screens, for coordinators (and the board for team leads too): the coverage
board of a site's week, a shift with who is on it and who could fill it, and the forms
that create, copy, edit and cancel shifts. Thin: the rules are in the actions.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.models import User
from services.accounts.scoping import sites_of

from . import selectors
from .actions.common import shift_refusal
from .actions.shifts import shift_cancel, shift_create, shift_update, shifts_copy
from .actions.signups import signup_create
from .board import board_week, candidates, week_start
from .coverage import coverage_load
from .forms import CancelForm, CopyForm, ShiftForm
from .models import Shift
from .views import allowed, back, day_from, when

SKIPPED = {
    "has_shifts": gettext_lazy("%(day)s already has shifts: not copied."),
    "passed": gettext_lazy("%(day)s has passed: not copied."),
}


def board_url(site_id: int, day: date) -> str:
    query = urlencode({"site": str(site_id), "week": week_start(day).isoformat()})
    return f"{reverse('shifts:board')}?{query}"


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """A site's week as a grid of days, each shift with what it lacks, in words."""
    actor = allowed(request, "shifts.view_board")
    sites = list(selectors.sites_run_by(actor))
    site = selectors.site_choice(actor, request.GET.get("site"), sites)
    context: dict[str, Any] = {"sites": sites, "site": site}
    if site is not None:
        first = week_start(day_from(request.GET.get("week", "")))
        context["board"] = board_week(user=actor, site=site, first=first)
        context["today"] = timezone.localdate()
    return render(request, "shifts/board.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A shift: when, where, who is on it, what it lacks; for coordinators who could fill it."""
    actor = allowed(request, "shifts.view_shift")
    shift = selectors.shift_get(user=actor, pk=pk)
    coverage = coverage_load([shift])[shift.pk]
    open_ = shift_refusal(shift) is None
    mine = next((p.signup for p in coverage.on if p.signup.user_id == actor.pk), None)
    plans = actor.has_perm("shifts.assign_shift", shift)
    return render(
        request,
        "shifts/detail.html",
        {
            "shift": shift,
            "when": when(shift),
            "coverage": coverage,
            "open": open_,
            "mine": mine,
            "plans": plans,
            "candidates": candidates(user=actor, shift=shift) if plans and open_ else [],
            "board_url": board_url(shift.site_id, timezone.localtime(shift.starts_at).date()),
        },
    )


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the volunteer picked from the candidates on the shift."""
    actor = allowed(request, "shifts.assign_shift")
    shift = selectors.shift_get(user=actor, pk=pk)
    user_id = request.POST.get("user", "")
    volunteer = User.objects.filter(pk=int(user_id)).first() if user_id.isdigit() else None
    if volunteer is None:
        messages.error(request, _("Choose someone from the list."))
        return redirect(shift)
    try:
        signup_create(actor=actor, shift=shift, user=volunteer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is on the shift.") % {"name": volunteer.get_username()}
        )
    return back(request, "shifts:board")


@require_http_methods(["GET", "POST"])
@submitted_once
def create(request: HttpRequest) -> HttpResponse:
    actor = allowed(request, "shifts.add_shift")
    initial = {
        "site": request.GET.get("site") or actor.site_id,
        "day": request.GET.get("day", ""),
        "task": Shift.Task.DISTRIBUTION,
    }
    form = ShiftForm(request.POST or None, sites=sites_of(actor), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shift = shift_create(actor=actor, site=form.cleaned_data["site"], plan=form.plan())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Shift planned: %(when)s.") % {"when": when(shift)})
            return redirect(board_url(shift.site_id, form.cleaned_data["day"]))
    status = 400 if form.errors else 200
    return render(request, "shifts/form.html", {"form": form, "shift": None}, status=status)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = allowed(request, "shifts.change_shift")
    shift = selectors.shift_get(user=actor, pk=pk)
    refusal = shift_refusal(shift)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect(shift)
    initial = ShiftForm.initial_of(shift, list(shift.needs.all()))
    form = ShiftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shift = shift_update(actor=actor, shift=shift, plan=form.plan())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Shift saved. Those on it are told of any change."))
            return redirect(shift)
    status = 400 if form.errors else 200
    return render(request, "shifts/form.html", {"form": form, "shift": shift}, status=status)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = allowed(request, "shifts.change_shift")
    shift = selectors.shift_get(user=actor, pk=pk)
    refusal = shift_refusal(shift)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect(shift)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shift = shift_cancel(actor=actor, shift=shift, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Shift cancelled. Everyone on it is told why."))
            return redirect(board_url(shift.site_id, timezone.localtime(shift.starts_at).date()))
    context = {"form": form, "shift": shift, "when": when(shift)}
    return render(request, "shifts/cancel.html", context, status=400 if form.errors else 200)


def _copied_words(request: HttpRequest, created: int, skipped: list[tuple[date, str]]) -> None:
    messages.success(request, _("Shifts copied: %(count)d.") % {"count": created})
    for day, why in skipped:
        messages.warning(request, str(SKIPPED[why]) % {"day": date_format(day, "D j/m")})


@require_http_methods(["GET", "POST"])
@submitted_once
def copy(request: HttpRequest) -> HttpResponse:
    """Copy a day or a week of a site's shifts; days that have shifts are skipped, and said."""
    actor = allowed(request, "shifts.add_shift")
    initial = {"site": request.GET.get("site", ""), "from_day": request.GET.get("week", "")}
    form = CopyForm(request.POST or None, sites=sites_of(actor), initial=initial)
    if request.method == "POST" and form.is_valid():
        source, target = form.dates()
        site = form.cleaned_data["site"]
        try:
            result = shifts_copy(
                actor=actor, site=site, source=source, target=target, days=form.cleaned_data["days"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _copied_words(request, len(result.created), result.skipped)
            return redirect(board_url(site.pk, target))
    status = 400 if form.errors else 200
    return render(request, "shifts/copy.html", {"form": form}, status=status)
