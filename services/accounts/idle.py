"""
A session ends after settings.SESSION_IDLE_MINUTES without a request (by role: 30
minutes for the roles that read medical or legal records or run the team, a day's
table for a volunteer), and in any case SESSION_COOKIE_AGE after signing in, for phones
are shared and lost. Each signed-in request sets the session's expiry again (Django's
set_expiry), so the idle time starts over.

A small cookie, IDLE_COOKIE, outlives the session and holds its idle limit, so the
sign-in page can say why someone was signed out; signing out oneself removes it.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, user_logged_out
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .roles import user_role_names

IDLE_COOKIE = "signed_in_idle_minutes"
SIGNED_IN_AT = "signed_in_at"


def idle_minutes(user: Any) -> int:
    """The shortest idle limit of the user's roles (the shortest of all without a role)."""
    limits = settings.SESSION_IDLE_MINUTES
    return min(limits[name] for name in user_role_names(user) & limits.keys() or limits)


def _signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None:
        request.signed_out = True  # type: ignore[attr-defined]


user_logged_out.connect(_signed_out, dispatch_uid="accounts.idle.signed_out")


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "signed_out", False):
            response.delete_cookie(IDLE_COOKIE)
        elif request.user.is_authenticated and SESSION_KEY in request.session:
            self._restart_idle_time(request, response)
        return response

    @staticmethod
    def _restart_idle_time(request: HttpRequest, response: HttpResponse) -> None:
        now = int(timezone.now().timestamp())
        signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
        until_the_end = max(1, signed_in_at + settings.SESSION_COOKIE_AGE - now)
        minutes = idle_minutes(request.user)
        request.session.set_expiry(min(minutes * 60, until_the_end))
        response.set_cookie(
            IDLE_COOKIE,
            str(minutes),
            max_age=until_the_end,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
