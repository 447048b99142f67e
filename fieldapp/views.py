"""Project-wide pages: home, sign-in, language choice, health and error pages."""

import sys
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fieldapp.errors import (
    RETRY_AFTER_SECONDS,
    DomainError,
    database_unavailable,
    server_error_body,
    unavailable_body,
)
from services.accounts.actions import user_set_language, user_set_site
from services.accounts.idle import IDLE_COOKIE
from services.accounts.requests import request_actor
from services.accounts.scoping import sites_of
from services.casework.today import day_work
from services.distributions.selectors import session_to_serve_at_sign_in
from services.people.selectors import person_search

from . import health
from .forms import LoginForm


def home(request: HttpRequest) -> HttpResponse:
    """
    The day's work of the user's role (casework/today.py), today's site and how many of
    its people the volunteer's lists hold (person_search).
    """
    actor = request_actor(request)
    site = actor.site
    people_here = person_search(user=actor, site_id=site.pk).count() if site else None
    context = {
        "site": site,
        "people_here": people_here,
        "sites": sites_of(actor),
        "work": day_work(user=actor),
        "role": actor.role_label,
    }
    return render(request, "home.html", context)


@require_POST
def my_site_set(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    site_id = request.POST.get("site", "")
    site = sites_of(actor).filter(pk=site_id).first() if site_id.isdigit() else None
    if site is not None:
        try:
            user_set_site(user=actor, site=site)
        except DomainError as error:  # taken off the site since the page was shown
            messages.error(request, error.message)
    return redirect("home")


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # a str setting: "Lax"
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and on the user's account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        _remember_language(response, language)
        if request.user.is_authenticated:
            user_set_language(user=request_actor(request), language=language)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """After a session ended for want of activity, the page says so, once."""
        response = super().get(request, *args, **kwargs)
        if IDLE_COOKIE in request.COOKIES and not request.user.is_authenticated:
            response.delete_cookie(IDLE_COOKIE)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        minutes = self.request.COOKIES.get(IDLE_COOKIE, "")
        signed_out_idle = self.request.method == "GET" and minutes.isdigit()
        return super().get_context_data(
            **kwargs, idle_minutes=int(minutes) if signed_out_idle else None
        )

    def get_success_url(self) -> str:
        """
        Where the person asked to go; else a table volunteer goes straight to the check-in
        of the one distribution open at their site today (one page load, not three).
        """
        asked = self.get_redirect_url()
        if asked:
            return asked
        session = session_to_serve_at_sign_in(user=self.request.user)
        if session is not None:
            return reverse("distributions_table:checkin", args=[session.pk])
        return super().get_success_url()

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language:
            _remember_language(response, language)
        return response


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: "ok" and nothing more (manage.py health tells more)."""
    if health.database_ok():
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("unavailable", content_type="text/plain", status=503)


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """The page for a person; for an API client, JSON in the API's error shape."""
    if request.path.startswith("/api/"):
        return JsonResponse(_API_ERRORS[status](), status=status)
    return render(request, template, status=status)


_API_ERRORS = {
    400: lambda: {"code": "bad_request", "detail": _("Malformed request.")},
    403: lambda: {
        "code": "permission_denied",
        "detail": _("You do not have permission to perform this action."),
    },
    404: lambda: {"code": "not_found", "detail": _("Not found.")},
    500: server_error_body,
    503: unavailable_body,
}


@login_not_required
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "400.html", 400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "403.html", 403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "404.html", 404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database is away: Django calls this inside its `except`."""
    if database_unavailable(sys.exc_info()[1]):
        return database_unavailable_page(request)
    return _error_page(request, "500.html", 500)


def database_unavailable_page(request: HttpRequest) -> HttpResponse:
    """
    503 with a page that needs no database: rendered without the context processors,
    which would read the user and their messages.
    """
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(unavailable_body(), status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, "403_csrf.html", 403)
