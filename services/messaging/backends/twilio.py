"""
Twilio adapter: one Programmable Messaging API call per send, plus a list for lookup.

Error mapping follows one rule: a send is only *transient* when we are sure Twilio never
processed it (an error answer, or no connection at all). Whenever the request may have
reached Twilio without us reading the answer, the outcome is *unknown* and the caller
must lookup() before sending again, or risk a duplicate text.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from .base import (
    PermanentSendError,
    SendError,
    SendResult,
    SmsBackend,
    TransientSendError,
    UnknownOutcomeError,
)

logger = logging.getLogger(__name__)

# The SDK logs every request at INFO, query string included: for lookup() that is the
# recipient's phone number. Our own logger name lets LOGGING turn it back on if needed.
_http_logger = logging.getLogger(f"{__name__}.http")

# 4xx answers that only say "not now": 429 Too Many Requests, and 21611 "This 'From'
# number has exceeded the maximum number of queued messages".
TRANSIENT_CODES = frozenset({20429, 21611})

LOOKUP_LIMIT = 50


class _Client(Client):
    """
    A Client that sends every *.twilio.com request to `api_base_url` instead (tests).

    ClientBase.request() passes each absolute URL through get_hostname() (where the SDK
    applies TWILIO_EDGE/TWILIO_REGION) right before the HTTP call, paging URLs included,
    so that is the one place to redirect them all.
    """

    def __init__(self, *args: Any, api_base_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_base_url = api_base_url.rstrip("/")

    def get_hostname(self, uri: str) -> str:
        if self.api_base_url:
            parts = urlsplit(uri)
            host = parts.hostname or ""
            if host == "twilio.com" or host.endswith(".twilio.com"):
                query = f"?{parts.query}" if parts.query else ""
                return f"{self.api_base_url}{parts.path}{query}"
        return super().get_hostname(uri)


class TwilioBackend(SmsBackend):
    def __init__(self) -> None:
        account_sid: str = getattr(settings, "TWILIO_ACCOUNT_SID", "")
        auth_token: str = getattr(settings, "TWILIO_AUTH_TOKEN", "")
        if not account_sid or not auth_token:
            raise ImproperlyConfigured(
                "SMS_BACKEND is 'twilio' but TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is "
                "empty: set both (Twilio console, Account info)."
            )
        self.from_: str = getattr(settings, "TWILIO_FROM", "")
        self.messaging_service_sid: str = getattr(settings, "TWILIO_MESSAGING_SERVICE_SID", "")
        if not self.from_ and not self.messaging_service_sid:
            raise ImproperlyConfigured(
                "SMS_BACKEND is 'twilio' but neither TWILIO_FROM (a phone number or "
                "alphanumeric sender) nor TWILIO_MESSAGING_SERVICE_SID is set."
            )
        timeout = float(getattr(settings, "SMS_HTTP_TIMEOUT", 10))
        if _http_logger.level == logging.NOTSET:
            _http_logger.setLevel(logging.WARNING)
        # No max_retries: requests then never retries, which a non-idempotent POST needs.
        http_client = TwilioHttpClient(timeout=timeout, logger=_http_logger)
        self.client = _Client(
            account_sid,
            auth_token,
            http_client=http_client,
            api_base_url=getattr(settings, "TWILIO_API_BASE_URL", ""),
        )

    def send(
        self, *, to: str, body: str, reference: str, status_callback: str | None
    ) -> SendResult:
        # Twilio has no idempotency key: `reference` is only for our logs.
        kwargs: dict[str, str] = {"to": to, "body": body}
        if self.messaging_service_sid:
            kwargs["messaging_service_sid"] = self.messaging_service_sid
        else:
            kwargs["from_"] = self.from_
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**kwargs)
        except (TwilioRestException, TwilioServiceException) as exc:
            error = _api_error(exc.status, exc.code, _reason(exc))
            logger.warning("Twilio refused SMS %s: %s", reference, error)
            raise error from exc
        except requests.RequestException as exc:
            error = _network_error(exc)
            logger.warning("Twilio send of SMS %s failed: %s", reference, error)
            raise error from exc
        logger.info("Twilio accepted SMS %s as %s (%s)", reference, message.sid, message.status)
        return SendResult(message.sid, message.status)

    def lookup(self, *, to: str, body: str, since: datetime) -> list[SendResult]:
        """
        Every failure here is a TransientSendError: a failed lookup proves nothing about
        the message, so the caller must neither resend nor give up because of it.
        """
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        # Twilio's dates have whole seconds.
        since = since.astimezone(UTC).replace(microsecond=0)
        try:
            # No DateSent filter: Twilio leaves date_sent empty while a message is still
            # queued, and such a message must be found too. The newest messages to this
            # number, filtered on date_created below, cover any recovery window.
            messages = self.client.messages.list(to=to, limit=LOOKUP_LIMIT)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise TransientSendError(_code(exc.status, exc.code), _reason(exc)) from exc
        except TwilioException as exc:
            raise _page_error(exc) from exc
        except requests.RequestException as exc:
            error = _network_error(exc)
            raise TransientSendError(error.code, error.reason) from exc
        # Twilio lists newest first.
        matches = [
            m
            for m in reversed(messages)
            if m.body == body and m.date_created is not None and m.date_created >= since
        ]
        matches.sort(key=lambda m: m.date_created)
        return [SendResult(m.sid, m.status) for m in matches]


def _code(status: int, code: int | None) -> str:
    # Without a Twilio code in the answer the SDK uses the HTTP status as the code.
    return f"http_{status}" if code is None or code == status else str(code)


def _api_error(status: int, code: int | None, reason: str) -> SendError:
    if status == 429 or status >= 500 or code in TRANSIENT_CODES:
        return TransientSendError(_code(status, code), reason)
    return PermanentSendError(_code(status, code), reason)


def _reason(exc: TwilioRestException | TwilioServiceException) -> str:
    """Twilio's own message, not str(exc), which is ANSI-coloured on a terminal."""
    if isinstance(exc, TwilioServiceException):
        return f"{exc.title}: {exc.detail}" if exc.detail else str(exc.title)
    msg = str(exc.msg)
    # The SDK prefixes Twilio's message with its own, e.g. "Unable to create record: ".
    if msg.startswith("Unable to ") and ": " in msg:
        msg = msg.split(": ", 1)[1]
    return msg


def _page_error(exc: TwilioException) -> TransientSendError:
    """A list page that is not 200 raises a bare TwilioException("...", response)."""
    response = exc.args[1] if len(exc.args) > 1 else None
    if not isinstance(response, TwilioResponse):
        return TransientSendError("twilio", str(exc))
    try:
        payload = json.loads(response.text)
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    code = payload.get("code")
    reason = payload.get("message") or str(exc.args[0])
    return TransientSendError(_code(response.status_code, code), str(reason))


def _network_error(exc: requests.RequestException) -> SendError:
    """
    Transient only when urllib3 says nothing reached Twilio (refused, DNS, connect
    timeout); a read timeout or a connection dropped mid-request may have been accepted.
    """
    if isinstance(exc, requests.ReadTimeout):
        return UnknownOutcomeError("timeout", f"no answer from Twilio in time: {exc}")
    if isinstance(exc, requests.ConnectTimeout):
        return TransientSendError("connection", f"could not connect to Twilio: {exc}")
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError) and isinstance(cause.reason, ConnectTimeoutError):
        # NewConnectionError (refused, DNS failure) is a ConnectTimeoutError in urllib3.
        return TransientSendError("connection", f"could not connect to Twilio: {exc}")
    return UnknownOutcomeError("connection_lost", f"request to Twilio interrupted: {exc}")
