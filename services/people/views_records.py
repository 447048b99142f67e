"""
A coordinator's repairs to the registry: a new card for a lost or taken one, and the
merge of two records of one person, shown first as a preview. Thin: actions_records.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from services.accounts.models import User
from services.accounts.requests import request_actor

from . import actions_records, selectors
from .forms import CardReissueForm, MergeForm
from .models import Person


def _allowed(request: HttpRequest, permission: str, code: str) -> tuple[User, Person]:
    actor = request_actor(request)
    if not actor.has_perm(permission):
        raise PermissionDenied
    return actor, selectors.person_get(user=actor, code=code)


@require_http_methods(["GET", "POST"])
def card_reissue(request: HttpRequest, code: str) -> HttpResponse:
    actor, person = _allowed(request, "people.reissue_card", code)
    form = CardReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old = person.code
        try:
            person = actions_records.person_card_reissue(
                actor=actor, person=person, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("New card: %(new)s. The old card %(old)s is refused from now on.")
                % {"new": person.code, "old": old},
            )
            return redirect(person)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "people/card_reissue.html", {"person": person, "form": form}, status=status
    )


def _other(actor: User, form: MergeForm, person: Person) -> Person | None:
    if not form.is_valid():
        return None
    try:
        other = selectors.person_get(user=actor, code=form.cleaned_data["other"])
    except DomainError as error:
        add_domain_error(form, error)
        return None
    if other.pk == person.pk:
        form.add_error("other", _("This is the same record. Type the other one's code."))
        return None
    return other


@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, code: str) -> HttpResponse:
    """?other=CODE previews what moves into this record; the POST merges it."""
    actor, person = _allowed(request, "people.merge_person", code)
    data = request.POST if request.method == "POST" else request.GET
    form = MergeForm(data if "other" in data else None)
    other = _other(actor, form, person) if form.is_bound else None
    if request.method == "POST" and other is not None:
        merged_code = other.code
        actions_records.person_merge(actor=actor, kept=person, merged=other)
        messages.success(
            request,
            _("%(merged)s is merged into %(kept)s. Card %(merged)s is refused from now on.")
            % {"merged": merged_code, "kept": person.code},
        )
        return redirect(person)
    context = {
        "person": person,
        "other": other,
        "form": form,
        "moves": actions_records.person_merge_counts(kept=person, merged=other) if other else [],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "people/merge.html", context, status=status)
