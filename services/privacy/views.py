"""
The privacy pages: a person's record (page and JSON), erasure, and the privacy notice.
Thin: the reads are selectors.py's, the erasure actions.py's.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.languages import Language
from services.accounts.requests import request_actor
from services.people.models import Person
from services.people.selectors import person_get

from . import retention
from .actions import person_erase
from .forms import ErasureForm
from .selectors import person_record


def _person_for(request: HttpRequest, code: str, permission: str) -> Person:
    actor = request_actor(request)
    person = person_get(user=actor, code=code)
    if not actor.has_perm(permission, person):
        raise PermissionDenied
    return person


@require_GET
def record_page(request: HttpRequest, code: str) -> HttpResponse:
    """The person's record in their own language, to read on screen or print."""
    person = _person_for(request, code, "privacy.view_record")
    actor = request_actor(request)
    with translation.override(person.language):
        record = person_record(user=actor, person=person, fmt="html")
        return render(
            request,
            "privacy/record.html",
            {
                "record": record,
                "person": person,
                "made_at": timezone.now(),
            },
        )


@require_GET
def record_json(request: HttpRequest, code: str) -> HttpResponse:
    """The same record as JSON, to download and hand over."""
    person = _person_for(request, code, "privacy.view_record")
    with translation.override(person.language):
        record = person_record(user=request_actor(request), person=person, fmt="json")
        body = json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="record-{person.code}.json"'
    return response


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, code: str) -> HttpResponse:
    person = _person_for(request, code, "privacy.erase_person")
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(
                actor=request_actor(request), person=person, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The record was erased. The card no longer leads to it."))
            return redirect("people:list")
    return render(request, "privacy/erase.html", {"form": form, "person": person})


@permission_required("privacy.view_notice", raise_exception=True)
@require_GET
def notice(request: HttpRequest, language: str = "") -> HttpResponse:
    """The privacy notice in one language (the reader's, unless they chose another)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in Language.values:
        raise Http404
    with translation.override(language):
        return render(
            request,
            "privacy/notice.html",
            {
                "languages": Language.choices,
                "shown": language,
                "inactive_days": retention.inactive_days(),
                "sms_keep_days": retention.sms_keep_days(),
            },
        )
