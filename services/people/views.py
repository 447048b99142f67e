"""The people registry on the phone: search, register, view, edit. Thin: see actions.py."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.requests import request_actor

from . import actions, cards, selectors
from .codes import code_normalise
from .filters import PersonFilter
from .forms import CardSheetForm, PersonForm
from .models import Person


@permission_required("people.view_person", raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    """
    The people of the volunteer's sites, narrowed by PersonFilter. A whole card code
    opens its record instead, wherever the card was issued (selectors.py says why).
    """
    actor = request_actor(request)
    query = request.GET.get("q", "")[: selectors.SEARCH_MAX_LENGTH]
    if code_normalise(query):
        try:
            return redirect(selectors.person_get(user=actor, code=query))  # read on its page
        except selectors.PersonNotFound:
            pass  # a name can look like a code ('Samuel'): search on
    filters = PersonFilter(
        request.GET or None, queryset=selectors.person_list(user=actor), request=request
    )
    page = Paginator(filters.qs, 25).get_page(request.GET.get("page"))
    if query.strip():
        selectors.people_found(user=actor, people=list(page.object_list))
    others = request.GET.copy()
    others.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {
            "form": filters.form,
            "query": query,
            "page": page,
            "others": others.urlencode(),
            "searched": bool(query.strip()),
        },
    )


@permission_required("people.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def person_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = PersonForm(request.POST or None, user=actor, initial={"home_site": actor.site_id})
    sharing: list[Person] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.person_register(
                actor=actor,
                allow_shared_phone=form.cleaned_data["allow_shared_phone"],
                move_phone=form.cleaned_data["move_phone"],
                **form.action_kwargs(),
            )
        except actions.PhoneInUse as error:
            sharing = selectors.people_sharing_phone(user=actor, phone=form.cleaned_data["phone"])
            add_domain_error(form, error)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Registered. Card code: %(code)s") % {"code": person.code})
            return redirect(person)
    return render(
        request, "people/person_form.html", {"form": form, "sharing": sharing, "person": None}
    )


@permission_required("people.view_person", raise_exception=True)
def person_detail(request: HttpRequest, code: str) -> HttpResponse:
    person = selectors.person_read(user=request_actor(request), code=code)
    return render(request, "people/person_detail.html", {"person": person})


@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = request_actor(request)
    person = selectors.person_get(user=actor, code=code)
    initial = {field: getattr(person, field) for field in actions.PERSON_FIELDS}
    form = PersonForm(request.POST or None, user=actor, home_site=person.home_site, initial=initial)
    sharing: list[Person] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_update(
                actor=actor,
                person=person,
                allow_shared_phone=form.cleaned_data["allow_shared_phone"],
                move_phone=form.cleaned_data["move_phone"],
                **form.action_kwargs(),
            )
        except actions.PhoneInUse as error:
            sharing = selectors.people_sharing_phone(
                user=actor, phone=form.cleaned_data["phone"], exclude_pk=person.pk
            )
            add_domain_error(form, error)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return render(
        request, "people/person_form.html", {"form": form, "sharing": sharing, "person": person}
    )


@permission_required("people.view_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_cards(request: HttpRequest) -> HttpResponse:
    """A4 sheets of cards to print, as a download; actions.person_cards_print audits it."""
    actor = request_actor(request)
    form = CardSheetForm(request.POST or None, user=actor, initial={"site": actor.site_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = actions.person_cards_print(
                actor=actor,
                site=data["site"],
                registered_since=data["registered_since"],
                codes=data["codes"],
                per_page=data["per_page"],
                with_names=data["with_names"],
                fmt=data["fmt"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            response = HttpResponse(content, content_type=cards.FORMATS[data["fmt"]])
            filename = f"cards-{timezone.localdate():%Y%m%d}.{data['fmt']}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "people/cards.html", {"form": form})
