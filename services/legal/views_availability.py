"""
One's own availability, spoken languages and calendar feed address, on the legal
screens (where advisors and interpreters publish their time). The rules are
services/scheduling's; these views are thin.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.models import User
from services.scheduling import actions as scheduling_actions
from services.scheduling import selectors as scheduling_selectors

from .forms import AvailabilityForm, LanguageForm
from .views import allowed


def _roles(actor: User) -> list[str]:
    return [
        role
        for role, permission in scheduling_actions.ROLE_PERMISSIONS.items()
        if actor.has_perm(permission)
    ]


def _availability_page(
    request: HttpRequest,
    actor: User,
    form: AvailabilityForm | None = None,
    language_form: LanguageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    feed = scheduling_selectors.calendar_feed_of(actor)
    feed_url = request.build_absolute_uri(reverse("legal:feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "legal/availability.html",
        {
            "rows": list(scheduling_selectors.availability_of(actor)),
            "languages": list(scheduling_selectors.spoken_languages_of(actor)),
            "form": form or AvailabilityForm(roles=_roles(actor)),
            "language_form": language_form or LanguageForm(),
            "feed_url": feed_url,
        },
        status=status,
    )


@require_GET
def availability(request: HttpRequest) -> HttpResponse:
    return _availability_page(request, allowed(request, "scheduling.view_availability"))


@require_POST
@submitted_once
def availability_add(request: HttpRequest) -> HttpResponse:
    actor = allowed(request, "scheduling.add_availability")
    form = AvailabilityForm(request.POST, roles=_roles(actor))
    if form.is_valid():
        try:
            scheduling_actions.availability_add(actor=actor, **form.action_kwargs())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Availability added."))
            return redirect("legal:availability")
    return _availability_page(request, actor, form=form, status=400)


@require_POST
def availability_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = allowed(request, "scheduling.view_availability")
    row = scheduling_selectors.availability_get(user=actor, pk=pk)
    scheduling_actions.availability_remove(actor=actor, availability=row)
    messages.success(request, _("Availability removed."))
    return redirect("legal:availability")


@require_POST
def language_add(request: HttpRequest) -> HttpResponse:
    actor = allowed(request, "scheduling.add_availability")
    form = LanguageForm(request.POST)
    if form.is_valid():
        scheduling_actions.spoken_language_set(actor=actor, **form.cleaned_data)
        messages.success(request, _("Language saved."))
        return redirect("legal:availability")
    return _availability_page(request, actor, language_form=form, status=400)


@require_POST
def language_remove(request: HttpRequest, language: str) -> HttpResponse:
    actor = allowed(request, "scheduling.add_availability")
    scheduling_actions.spoken_language_remove(actor=actor, language=language)
    messages.success(request, _("Language removed."))
    return redirect("legal:availability")


@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    actor = allowed(request, "scheduling.use_calendar_feed")
    scheduling_actions.calendar_feed_renew(actor=actor)
    messages.success(request, _("New calendar address made: the old one no longer works."))
    return redirect("legal:availability")
