"""
The second step of signing in, for the roles that need it (rules.needs_second_factor):
coordinators and the medical and legal roles. After their password, every page sends
them to set up their authenticator app (the first time) or to type its code, and the
API refuses their session (403) until they have. Volunteers are never asked.

django-otp's OTPMiddleware, placed before this one, says whether the session has passed
a second factor (request.user.is_verified()). A token-authenticated API call carries no
session: see actions/second_factor.py on tokens.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .actions.second_factor import totp_confirmed
from .rules import needs_second_factor

View = Callable[..., HttpResponse]


def second_factor_not_required(view: View) -> View:
    """For the pages a user must reach before their second factor: its own, sign-out."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view


def _is_api(view: Any) -> bool:
    from rest_framework.views import APIView

    view_class = getattr(view, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or not getattr(view, "second_factor_required", True):
            return None
        api = _is_api(view)
        if not api and not getattr(view, "login_required", True):
            return None  # a public page: the sign-in page itself, the language choice
        if user.is_verified() or not needs_second_factor(user):
            return None
        if api:
            return JsonResponse(
                {
                    "code": "second_factor_required",
                    "detail": _("Sign in with your second factor on the website first."),
                },
                status=403,
            )
        step = "verify" if totp_confirmed(user) is not None else "setup"
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(f'accounts:second_factor_{step}')}?{query}")
