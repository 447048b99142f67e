"""Project-wide middleware: clean input, personal data never cached, domain errors as pages."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .errors import DomainError, NotFound
from .text import without_bidi_controls


class NotFoundMiddleware:
    """
    A selector's NotFound becomes the 404 page, with the selector's translated message; any
    other DomainError that a page lets through, the 400 page with its message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return render(request, "404.html", {"message": exception.message}, status=404)
        if isinstance(exception, DomainError):
            return _refused(request, exception.message)
        return None


class NoStoreMiddleware:
    """
    Every page and API answer to a signed-in user may hold someone's personal data: no
    browser, shared phone or proxy keeps a copy (Cache-Control: no-store). Static files
    are served by nginx and never pass through here. The check-in page's offline copy is
    the service worker's, which HTTP cache headers do not govern.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


def input_as_sent[V: Callable[..., Any]](view: V) -> V:
    """Mark a view that must read its input untouched (a provider's signature covers it)."""
    view.input_as_sent = True  # type: ignore[attr-defined]
    return view


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class InputMiddleware:
    """
    The address, query parameters and form fields, before any view (the admin's too) reads
    them: a NUL byte is refused with a 400 in the user's language (PostgreSQL can neither
    store nor compare one), and bidi controls are dropped (fieldapp.text). The API's
    bodies get the same cleaning from fieldapp.parsers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "input_as_sent", False):
            return None
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(request.POST):
            return _refused(
                request, _("The request holds a NUL character. Remove it and try again.")
            )
        request.GET = without_bidi_controls(request.GET)
        request.POST = without_bidi_controls(request.POST)
        return None


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "invalid", "detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


# Headers that only govern a document a browser shows: a frame, a script, a window.
DOCUMENT_ONLY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "Expires",
)


def as_fragment(response: HttpResponse) -> HttpResponse:
    """Mark a response as a piece of a page that a script puts into the page it is on."""
    response.fragment = True  # type: ignore[attr-defined]
    return response


class LeanAnswerMiddleware:
    """
    A JSON answer or a fragment (as_fragment) is read by a script, never shown as a page:
    the headers that govern a document (frames, scripts, the opener) do nothing for it, and
    on 3G they were about half of each person lookup. "no-store" alone keeps it uncached.
    First in MIDDLEWARE, so it sees the headers every other middleware added.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        json = response.get("Content-Type", "").startswith("application/json")
        if not (json or getattr(response, "fragment", False)):
            return response
        for header in DOCUMENT_ONLY_HEADERS:
            if header in response:
                del response[header]
        if response.status_code != 405 and "Allow" in response:
            del response["Allow"]
        if "no-store" in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
