"""
The medical team's referral screens, and the coordinators' status overview. Every
view asks the rules (referrals/rules.py), through the selectors: a record the user may
not see is a 404, whichever route is used.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.models import User
from services.accounts.requests import request_actor
from services.people.selectors import PersonNotFound, person_get

from . import selectors
from .actions import followups as followup_actions
from .actions import referral as referral_actions
from .actions import workflow
from .filters import ReferralFilter
from .forms import BookForm, FindPersonForm, FollowUpDoneForm, ReasonForm, ReferForm, ReferralForm
from .models import Referral, Status

# The steps that take (at most) a reason, with whether it is required.
STEPS = {
    Status.ATTENDED: None,
    Status.MISSED: True,
    Status.DECLINED: True,
    Status.CLOSED: False,
}


def _allowed(request: HttpRequest, permission: str) -> User:
    """The signed-in user, if they hold the permission; PermissionDenied (403) if not."""
    actor = request_actor(request)
    if not actor.has_perm(permission):
        raise PermissionDenied
    return actor


def home(request: HttpRequest) -> HttpResponse:
    user = _allowed(request, "referrals.view_status")
    if not user.has_perm("referrals.view_notes"):
        return redirect("referrals:overview")
    open_referrals = list(selectors.referrals_open(user=user)[:50])
    upcoming = list(selectors.referrals_upcoming(user=user))
    selectors.referrals_audit_list(
        user=user, referrals=[*open_referrals, *upcoming], view="medical_home"
    )
    context = {
        "open_referrals": open_referrals,
        "upcoming": upcoming,
        "followups_due": selectors.followups_open(user=user).count(),
    }
    return render(request, "referrals/home.html", context)


def overview(request: HttpRequest) -> HttpResponse:
    """Counts and statuses for coordinators: no notes, no reasons, no services."""
    user = _allowed(request, "referrals.view_status")
    listed = ReferralFilter(request.GET, queryset=selectors.referral_statuses_listable(user))
    page = Paginator(listed.qs, 50).get_page(request.GET.get("page"))
    selectors.referrals_audit_list(user=user, referrals=list(page), view="overview")
    query = urlencode({name: value for name, value in listed.form.cleaned_data.items() if value})
    context = {
        "counts": selectors.referral_counts(user=user),
        "page": page,
        "filter": listed,
        "query": query,
    }
    return render(request, "referrals/overview.html", context)


def find_person(request: HttpRequest) -> HttpResponse:
    """Refer a person found by card code."""
    user = _allowed(request, "referrals.add_referral")
    form = FindPersonForm(request.GET or None)
    if form.is_valid():
        try:
            person = person_get(user=user, code=form.cleaned_data["code"])
        except PersonNotFound as error:
            add_domain_error(form, error)
        else:
            return redirect("referrals:create", code=person.code)
    return render(request, "referrals/find.html", {"form": form})


@require_http_methods(["GET", "POST"])
@submitted_once
def create(request: HttpRequest, code: str) -> HttpResponse:
    user = _allowed(request, "referrals.add_referral")
    person = person_get(user=user, code=code)
    # The interpreter's language starts as the person's own (French needs none at a clinic).
    language = "" if person.language in ("fr",) else person.language
    initial = {"site": user.site, "interpreter_language": language}
    form = ReferralForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            referral = referral_actions.referral_create(
                actor=user,
                person=person,
                refer=request.POST.get("refer") != "0",
                **values,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if referral.status == Status.DRAFT:
                messages.success(request, _("Saved as a draft."))
            else:
                messages.success(request, _("Referral sent."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/form.html", {"form": form, "person": person})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get(user=request_actor(request), pk=pk)
    context = {
        "referral": referral,
        "events": referral.events.select_related("by", "interpreter"),
        "can": {to: workflow.referral_can_move(referral, to) for to in Status.values},
        "refer_form": ReferForm(),
    }
    return render(request, "referrals/detail.html", context)


@require_POST
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    referral = selectors.referral_get(user=actor, pk=pk, audit=False)
    form = ReferForm(request.POST)
    form.is_valid()
    try:
        workflow.referral_refer(
            actor=actor,
            referral=referral,
            consent=form.cleaned_data.get("consent", False),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Referral sent."))
    return redirect("referrals:detail", pk=referral.pk)


@require_http_methods(["GET", "POST"])
@submitted_once
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """
    Book the appointment, or move it (the reminders and the interpreter move with it).
    A referral that needs an interpreter lists those free at the time on the form:
    "find" sends the date and time only to refresh that list.
    """
    actor = request_actor(request)
    referral = selectors.referral_get(user=actor, pk=pk, audit=request.method == "GET")
    needs = bool(referral.interpreter_language)
    finding = request.method == "POST" and "find" in request.POST
    initial: dict[str, object] = {
        "place": referral.appointment_place or referral.service.partner.sms_place
    }
    if referral.appointment_at is not None:
        local = timezone.localtime(referral.appointment_at)
        initial |= {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}
    if referral.interpreter_id is not None:
        initial["interpreter"] = str(referral.interpreter_id)
    data = _taken_time(request, referral) if needs else request.POST
    form = BookForm(data or None, initial=initial, needs_interpreter=needs, finding=finding)
    valid = form.is_bound and form.is_valid()
    starts_at = form.starts_at() if form.is_bound else referral.appointment_at
    free = None
    if needs and starts_at is not None:
        free = selectors.referral_interpreters_free(referral=referral, starts_at=starts_at)
        form.offer(free, referral.interpreter)
    status = 400 if form.is_bound and not valid else 200
    if valid and not finding:
        assert starts_at is not None  # noqa: S101 - a valid form has a date and a time
        try:
            workflow.referral_book(
                actor=actor,
                referral=referral,
                starts_at=starts_at,
                place=form.cleaned_data["place"],
                interpreter=form.cleaned_data.get("interpreter"),
            )
        except DomainError as error:
            if error.field == "starts_at":
                error.field = "date"
            add_domain_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("Appointment booked. Reminders will be sent by SMS."))
            return redirect("referrals:detail", pk=referral.pk)
    context = {
        "form": form,
        "referral": referral,
        "needs_interpreter": needs,
        "free": free,
        "times": selectors.referral_interpreter_times(referral=referral) if needs else [],
    }
    return render(request, "referrals/book.html", context, status=status)


def _taken_time(request: HttpRequest, referral: Referral) -> QueryDict:
    """
    The form's data; a tap on one of the offered interpreter times ("take": start and
    interpreter) fills the date, the time and the interpreter, to book at once.
    """
    data = request.POST.copy()
    starts, _sep, interpreter = data.get("take", "").partition("|")
    try:
        local = timezone.localtime(datetime.fromisoformat(starts))
    except ValueError:
        return data
    data["date"] = local.date().isoformat()
    data["time"] = local.strftime("%H:%M")
    data["interpreter"] = interpreter
    data.setdefault("place", referral.appointment_place or referral.service.partner.sms_place)
    return data


def _apply_step(actor: User, referral: Referral, status: Status, reason: str) -> None:
    if status == Status.ATTENDED:
        workflow.referral_attended(actor=actor, referral=referral)
    elif status == Status.MISSED:
        workflow.referral_missed(actor=actor, referral=referral, reason=reason)
    elif status == Status.DECLINED:
        workflow.referral_decline(actor=actor, referral=referral, reason=reason)
    else:
        workflow.referral_close(actor=actor, referral=referral, reason=reason)


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """Attended, missed (with reason), declined (with reason), closed."""
    actor = request_actor(request)
    referral = selectors.referral_get(user=actor, pk=pk, audit=request.method == "GET")
    status = Status(to)
    needs_reason = STEPS[status]
    form = ReasonForm(request.POST or None, required=bool(needs_reason))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason", "")
        try:
            _apply_step(actor, referral, status, reason)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved: %(status)s.") % {"status": status.label})
            return redirect("referrals:detail", pk=referral.pk)
    context = {
        "form": form,
        "referral": referral,
        "status": status,
        "with_reason": needs_reason is not None,
    }
    return render(request, "referrals/step.html", context)


def followup_list(request: HttpRequest) -> HttpResponse:
    user = _allowed(request, "referrals.view_followuptask")
    tasks = list(selectors.followups_open(user=user))
    selectors.referrals_audit_list(
        user=user, referrals=[task.referral for task in tasks], view="follow_ups"
    )
    return render(request, "referrals/followups.html", {"tasks": tasks})


@require_http_methods(["GET", "POST"])
def followup_done(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    task = selectors.followup_get(user=actor, pk=pk, audit=request.method == "GET")
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_actions.followup_done(
                actor=actor,
                task=task,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Follow-up done."))
            return redirect("referrals:followups")
    return render(request, "referrals/followup_done.html", {"form": form, "task": task})
