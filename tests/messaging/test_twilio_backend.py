"""
The Twilio backend against the stub: the real SDK, real HTTP, no mocks.

None of these tests touch the database.
"""

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pytest_django import Settings
from twilio.request_validator import RequestValidator

from services.messaging import backends
from services.messaging.backends import (
    PermanentSendError,
    SendResult,
    TransientSendError,
    UnknownOutcomeError,
    get_backend,
)
from services.messaging.backends.twilio import TwilioBackend

from .twilio_stub import TwilioStub, closed_port_url

TO = "+33612345678"
OTHER = "+33698765432"
BODY = "Rappel : rendez-vous juridique demain 10h, salle 2."
CALLBACK = "https://fieldapp.example.org/sms/status/"


@pytest.fixture
def backend(twilio_settings: Settings) -> TwilioBackend:
    instance = get_backend()
    assert isinstance(instance, TwilioBackend)
    return instance


def fresh_backend() -> TwilioBackend:
    """A backend built from the settings as they are now."""
    backends._instances.clear()
    instance = get_backend()
    assert isinstance(instance, TwilioBackend)
    return instance


def send(backend: TwilioBackend, to: str = TO, body: str = BODY) -> SendResult:
    return backend.send(to=to, body=body, reference="reminder-42", status_callback=CALLBACK)


# Sending


def test_send_returns_the_stub_sid_and_the_stub_records_the_message(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    result = send(backend)

    [recorded] = twilio_stub.messages
    assert result == SendResult(recorded.sid, "queued")
    assert recorded.sid.startswith("SM") and len(recorded.sid) == 34
    assert (recorded.to, recorded.from_, recorded.body) == (TO, "+33700000000", BODY)
    assert recorded.messaging_service_sid is None
    assert recorded.status_callback == CALLBACK


def test_no_status_callback_is_sent_when_none_is_given(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    backend.send(to=TO, body=BODY, reference="r", status_callback=None)
    assert twilio_stub.messages[0].status_callback is None


def test_unicode_bodies_arrive_intact(backend: TwilioBackend, twilio_stub: TwilioStub) -> None:
    body = "موعدك غدا الساعة 10 — ቀጠሮ ነገ 🙂"
    send(backend, body=body)
    assert twilio_stub.messages[0].body == body


def test_the_messaging_service_is_used_instead_of_from_when_set(
    twilio_settings: Settings, twilio_stub: TwilioStub
) -> None:
    twilio_settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "a" * 32
    send(fresh_backend())

    [recorded] = twilio_stub.messages
    assert recorded.messaging_service_sid == "MG" + "a" * 32
    assert recorded.from_ is None


@pytest.mark.parametrize(
    ("status", "code", "expected_code"),
    [
        (500, None, "http_500"),
        (503, None, "http_503"),
        (429, 20429, "20429"),
        (429, None, "http_429"),
        (400, 21611, "21611"),  # the sender's queue is full: later will do
    ],
)
def test_server_errors_and_rate_limits_are_transient(
    backend: TwilioBackend,
    twilio_stub: TwilioStub,
    status: int,
    code: int | None,
    expected_code: str,
) -> None:
    twilio_stub.fail_next(status=status, code=code, message="Try later")
    with pytest.raises(TransientSendError) as caught:
        send(backend)
    assert caught.value.code == expected_code
    assert twilio_stub.messages == []


def test_the_next_request_after_a_failure_goes_through(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    twilio_stub.fail_next(status=500, times=2)
    for _ in range(2):
        with pytest.raises(TransientSendError):
            send(backend)
    assert send(backend).provider_message_id == twilio_stub.messages[0].sid


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (21211, "Invalid 'To' Phone Number: +3361234567"),
        (21614, "'To' number is not a valid mobile number"),
        (21610, "Attempt to send to unsubscribed recipient"),
        (21408, "Permission to send an SMS has not been enabled for the region indicated"),
    ],
)
def test_refusals_are_permanent_with_twilios_code_and_message(
    backend: TwilioBackend, twilio_stub: TwilioStub, code: int, message: str
) -> None:
    twilio_stub.fail_next(status=400, code=code, message=message)
    with pytest.raises(PermanentSendError) as caught:
        send(backend)
    assert (caught.value.code, caught.value.reason) == (str(code), message)


def test_wrong_credentials_are_a_permanent_20003(
    twilio_settings: Settings, twilio_stub: TwilioStub
) -> None:
    twilio_settings.TWILIO_AUTH_TOKEN = "not-the-token"
    with pytest.raises(PermanentSendError) as caught:
        send(fresh_backend())
    assert (caught.value.code, caught.value.reason) == ("20003", "Authenticate")
    assert twilio_stub.messages == []


def test_a_read_timeout_after_twilio_accepted_is_an_unknown_outcome_that_lookup_resolves(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    since = timezone.now()
    twilio_stub.accept_then_hang(2)
    started = time.monotonic()
    with pytest.raises(UnknownOutcomeError) as caught:
        send(backend)
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 1.9  # SMS_HTTP_TIMEOUT = 1 s was applied

    [recorded] = twilio_stub.messages
    assert backend.lookup(to=TO, body=BODY, since=since) == [SendResult(recorded.sid, "queued")]


def test_a_read_timeout_before_twilio_accepted_is_unknown_too_and_lookup_finds_nothing(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    since = timezone.now()
    twilio_stub.hang_before_accept(2)
    with pytest.raises(UnknownOutcomeError) as caught:
        send(backend)
    assert caught.value.code == "timeout"
    assert twilio_stub.messages == []
    assert backend.lookup(to=TO, body=BODY, since=since) == []


def test_a_connection_dropped_after_the_request_is_an_unknown_outcome(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    twilio_stub.accept_then_hang(0.1)  # closes the connection before the 1 s timeout
    with pytest.raises(UnknownOutcomeError) as caught:
        send(backend)
    assert caught.value.code == "connection_lost"
    assert len(twilio_stub.messages) == 1


def test_nothing_listening_is_a_transient_connection_error(
    twilio_settings: Settings,
) -> None:
    twilio_settings.TWILIO_API_BASE_URL = closed_port_url()
    with pytest.raises(TransientSendError) as caught:
        send(fresh_backend())
    assert caught.value.code == "connection"


# Lookup


def test_lookup_ignores_other_bodies_and_other_numbers(
    backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    since = timezone.now()
    send(backend, body=BODY + " ")
    send(backend, to=OTHER)
    wanted = send(backend)
    send(backend, body=BODY.upper())

    assert backend.lookup(to=TO, body=BODY, since=since) == [wanted]
    assert backend.lookup(to=OTHER, body=BODY + "!", since=since) == []


def test_lookup_lists_oldest_first(backend: TwilioBackend) -> None:
    since = timezone.now()
    first, second, third = send(backend), send(backend), send(backend)
    assert backend.lookup(to=TO, body=BODY, since=since) == [first, second, third]


def test_lookup_honours_since_in_any_time_zone(backend: TwilioBackend) -> None:
    # Paris wall time, with microseconds, taken just before the send (same second, likely).
    since = timezone.localtime(timezone.now())
    result = send(backend)

    assert backend.lookup(to=TO, body=BODY, since=since) == [result]
    later = since + timedelta(seconds=5)
    assert backend.lookup(to=TO, body=BODY, since=later) == []


def test_lookup_reports_the_current_status(backend: TwilioBackend, twilio_stub: TwilioStub) -> None:
    since = timezone.now()
    result = send(backend)
    twilio_stub.set_status(result.provider_message_id, "delivered")
    [found] = backend.lookup(to=TO, body=BODY, since=since)
    assert found == SendResult(result.provider_message_id, "delivered")


@pytest.mark.parametrize(
    ("status", "code", "expected_code"),
    [(500, None, "http_500"), (429, 20429, "20429"), (401, 20003, "20003")],
)
def test_lookup_failures_are_all_transient(
    backend: TwilioBackend,
    twilio_stub: TwilioStub,
    status: int,
    code: int | None,
    expected_code: str,
) -> None:
    twilio_stub.fail_next(status=status, code=code)
    with pytest.raises(TransientSendError) as caught:
        backend.lookup(to=TO, body=BODY, since=timezone.now())
    assert caught.value.code == expected_code


def test_lookup_timeouts_and_closed_ports_are_transient(
    twilio_settings: Settings, backend: TwilioBackend, twilio_stub: TwilioStub
) -> None:
    twilio_stub.hang_before_accept(2)
    with pytest.raises(TransientSendError) as caught:
        backend.lookup(to=TO, body=BODY, since=timezone.now())
    assert caught.value.code == "timeout"

    twilio_settings.TWILIO_API_BASE_URL = closed_port_url()
    with pytest.raises(TransientSendError) as caught:
        fresh_backend().lookup(to=TO, body=BODY, since=timezone.now())
    assert caught.value.code == "connection"


def test_paging_urls_go_to_the_base_url_too(backend: TwilioBackend) -> None:
    """Twilio's next_page_uri becomes an absolute https://api.twilio.com URL in the SDK."""
    sent = [send(backend) for _ in range(5)]
    listed = backend.client.messages.list(to=TO, page_size=2)
    assert [m.sid for m in reversed(listed)] == [r.provider_message_id for r in sent]


# Configuration


@pytest.mark.parametrize("name", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])
def test_missing_credentials_are_improperly_configured(
    twilio_settings: Settings, name: str
) -> None:
    setattr(twilio_settings, name, "")
    with pytest.raises(ImproperlyConfigured, match="TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN"):
        fresh_backend()


def test_a_sender_is_required(twilio_settings: Settings) -> None:
    twilio_settings.TWILIO_FROM = ""
    with pytest.raises(ImproperlyConfigured, match="TWILIO_MESSAGING_SERVICE_SID"):
        fresh_backend()
    twilio_settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "b" * 32
    assert isinstance(fresh_backend(), TwilioBackend)


def test_optional_settings_may_be_absent(twilio_settings: Settings) -> None:
    del twilio_settings.TWILIO_MESSAGING_SERVICE_SID
    del twilio_settings.SMS_HTTP_TIMEOUT
    assert fresh_backend().client.http_client.timeout == 10.0


# The stub's status callbacks


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], str]]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        self.received.append((self.path, form, self.headers["X-Twilio-Signature"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, dict[str, str], str]]]]:
    received: list[tuple[str, dict[str, str], str]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms/status/", received
    server.shutdown()
    server.server_close()


def test_status_callbacks_are_posted_signed_to_the_recorded_url(
    backend: TwilioBackend,
    twilio_stub: TwilioStub,
    receiver: tuple[str, list[tuple[str, dict[str, str], str]]],
) -> None:
    url, received = receiver
    result = backend.send(to=TO, body=BODY, reference="r", status_callback=url)

    status = twilio_stub.post_status_callback(
        result.provider_message_id, "undelivered", error_code=30003
    )

    assert status == (204, "")
    [(path, form, signature)] = received
    assert path == "/sms/status/"
    assert form["MessageSid"] == result.provider_message_id
    assert (form["MessageStatus"], form["ErrorCode"], form["To"]) == ("undelivered", "30003", TO)
    assert form["AccountSid"] == twilio_stub.account_sid
    assert RequestValidator(twilio_stub.auth_token).validate(url, form, signature)
    assert not RequestValidator("another-token").validate(url, form, signature)
    assert twilio_stub.get(result.provider_message_id).status == "undelivered"
