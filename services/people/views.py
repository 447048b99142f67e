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
from services.audit.actions import audit_record

from . import actions, cards, selectors
from .codes import code_normalise
from .forms import CardSheetForm, PersonForm, PersonSearchForm
from .models import Person

SEARCH_MAX_LENGTH = 100


@permission_required("people.view_person", raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    query = request.GET.get("q", "")[:SEARCH_MAX_LENGTH]
    site_id = None
    if form.is_valid() and form.cleaned_data["site"] is not None:
        site_id = form.cleaned_data["site"].pk
    people = selectors.person_search(user=request.user, query=query, site_id=site_id)
    exact_code = code_normalise(query)
    if exact_code:
        match = next((p for p in people[:2] if p.code == exact_code), None)
        if match is not None:
            return redirect(match)
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {"form": form, "query": query, "page": page, "searched": bool(query.strip())},
    )


@permission_required("people.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    initial = {"home_site": getattr(request.user, "site_id", None)}
    form = PersonForm(request.POST or None, initial=initial)
    sharing: list[Person] = []
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.person_register(
                actor=request.user,  # type: ignore[arg-type]
                allow_shared_phone=form.cleaned_data["allow_shared_phone"],
                **form.action_kwargs(),  # type: ignore[arg-type]
            )
        except actions.PhoneInUse as error:
            sharing = selectors.people_sharing_phone(phone=form.cleaned_data["phone"])
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
    person = selectors.person_get(user=request.user, code=code)
    return render(request, "people/person_detail.html", {"person": person})


@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, code: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, code=code)
    initial = {field: getattr(person, field) for field in actions.PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    sharing: list[Person] = []
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_update(
                actor=request.user,  # type: ignore[arg-type]
                person=person,
                allow_shared_phone=form.cleaned_data["allow_shared_phone"],
                **form.action_kwargs(),
            )
        except actions.PhoneInUse as error:
            sharing = selectors.people_sharing_phone(
                phone=form.cleaned_data["phone"], exclude_pk=person.pk
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
    """A4 sheets of cards to print, as a download; every print is in the audit log."""
    form = CardSheetForm(
        request.POST or None, initial={"site": getattr(request.user, "site_id", None)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = data["site"]
        try:
            people = cards.people_for_cards(
                user=request.user,
                site_id=site.pk if site else None,
                registered_since=data["registered_since"],
                codes=data["codes"],
            )
            content = cards.card_sheets_render(
                people=people,
                per_page=data["per_page"],
                with_names=data["with_names"],
                fmt=data["fmt"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="people.cards_print",
                target=site or people[0],
                details={"count": len(people), "with_names": data["with_names"]},
            )
            fmt = data["fmt"]
            response = HttpResponse(content, content_type=cards.FORMATS[fmt])
            filename = f"cards-{timezone.localdate():%Y%m%d}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "people/cards.html", {"form": form})
