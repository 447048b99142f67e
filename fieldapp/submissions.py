"""
One result per form, however often it is sent: a double tap on "Register" registers
one person.

A create form carries a hidden one-time token (`{% submission_token %}`, made when the
form is shown), and its view is decorated with `@submitted_once`. The first POST with a
token claims it for its user, in the same transaction as the view's writes, and keeps
the page the view sends them to; a repeated POST is sent to that page and creates
nothing more. A token is the user's own: replayed by someone else it is a new token, so
it never shows them another user's result. A POST without a token (an API client, a
page opened before the token existed) is served as before.

Check-in does the same with its own UUID, kept on the CheckIn row itself, because an
offline phone sends it again days later (distributions/actions/checkin.py).
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Submission

FIELD = "submission"
KEEP = timedelta(days=1)

View = Callable[..., HttpResponse]


def submitted_once(view: View) -> View:
    """
    Run a create view once per submission token. The token is kept when the view answers
    with a redirect (its result); any other answer (the form again, with its errors)
    releases it, so the corrected form can be sent with it.
    """

    @wraps(view)
    def once(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user_id, token = request.user.pk, _token(request)
        if user_id is None or token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            claim = _claim(user_id, token)
            if claim is None:
                return _first_result(request, user_id, token)
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseRedirectBase):
                claim.result_url = response.url
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
        return response

    return once


def _token(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _claim(user_id: int, token: uuid.UUID) -> Submission | None:
    """The token, claimed now for this user; None if it was used before (or is being used)."""
    try:
        with transaction.atomic():
            return Submission.objects.create(user_id=user_id, token=token)
    except IntegrityError:
        return None  # on PostgreSQL, after the other request committed: its result is there


def _first_result(request: HttpRequest, user_id: int, token: uuid.UUID) -> HttpResponse:
    first = Submission.objects.get(user_id=user_id, token=token)
    messages.info(request, _("This form was already sent. Nothing more was recorded."))
    return redirect(first.result_url)


def submissions_purge() -> int:
    """Forget the tokens older than a day: no one taps twice a day apart. Idempotent."""
    deleted, _by_model = Submission.objects.filter(sent_at__lt=timezone.now() - KEEP).delete()
    return deleted
