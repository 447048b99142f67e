"""Project-wide middleware: personal data never cached, a selector's NotFound as the 404 page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .errors import NotFound


class NotFoundMiddleware:
    """A selector's NotFound becomes the 404 page, with the selector's translated message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return render(request, "404.html", {"message": exception.message}, status=404)
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
