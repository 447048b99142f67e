"""
The one domain error type, and how the API shows every error.

Actions raise DomainError with a translated message (and the form field it belongs
to, if any). Forms turn it into a field error; the API turns it into the same JSON
shape as DRF's own validation errors: {"code", "detail", "fields"}. An exception that
nothing handles is a 500 in that shape too, logged and signalled as Django does.
"""

import logging
from collections.abc import Iterator
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

request_logger = logging.getLogger("django.request")


class DomainError(Exception):
    """A rule said no. message is translated and safe to show to the user."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.extra = extra or {}


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "detail": exc.message, **exc.extra}
        if exc.field:
            body["fields"] = {exc.field: [exc.message]}
        return Response(body, status=exc.status_code)
    response = exception_handler(exc, context)
    if response is None:
        return _server_error(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _("Some of what was sent is not valid. See fields."),
            "fields": dict(_field_messages(response.data, "")),
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"code": getattr(detail, "code", "error"), "detail": str(detail)}
    return response


def _field_messages(errors: Any, field: str) -> Iterator[tuple[str, list[str]]]:
    """
    DRF's nested errors as one list of messages per field, the nested ones named by
    their path: {"items": [{}, {"quantity": [m]}]} gives {"items.1.quantity": [m]}, and a
    nested serializer's own errors stay on its field ({"items": [m]}).
    """
    if isinstance(errors, dict):
        for key, nested in errors.items():
            own = field and key == api_settings.NON_FIELD_ERRORS_KEY
            yield from _field_messages(nested, field if own else _path(field, key))
    elif isinstance(errors, list) and any(isinstance(error, dict | list) for error in errors):
        for index, nested in enumerate(errors):
            if nested:
                yield from _field_messages(nested, _path(field, index))
    else:
        messages = [str(error) for error in errors] if isinstance(errors, list) else [str(errors)]
        yield field or api_settings.NON_FIELD_ERRORS_KEY, messages


def _path(field: str, key: object) -> str:
    return f"{field}.{key}" if field else str(key)


def server_error_body() -> dict[str, str]:
    return {"code": "server_error", "detail": _("Something went wrong. Try again.")}


# Seconds a client is asked to wait when the database is away (a restart, a full disk).
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """
    The database could not be reached or could not write (stopped, restarting, disk full,
    a conflict still there after the retries): the request was rolled back and is worth
    repeating in a moment, so the answer is 503, not a 500.
    """
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_body() -> dict[str, str]:
    return {
        "code": "unavailable",
        "detail": _("The database is not answering. Nothing was saved: try again in a minute."),
    }


def _server_error(exc: Exception, context: dict[str, Any]) -> Response:
    """What Django does for an uncaught exception (signal, log), answered in JSON."""
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    set_rollback()
    got_request_exception.send(sender=None, request=django_request)
    if database_unavailable(exc):
        path = getattr(django_request, "path", "")
        request_logger.warning("Service Unavailable (database): %s: %s", path, exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return Response(unavailable_body(), status=503, headers=headers)
    request_logger.error(
        "Internal Server Error: %s",
        getattr(django_request, "path", ""),
        exc_info=exc,
        extra={"status_code": 500, "request": django_request},
    )
    return Response(server_error_body(), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
