"""
A small Twilio-compatible HTTP server, so tests drive the real twilio SDK over HTTP.

It serves the Messages resource of the 2010-04-01 API (create and list) with Twilio's
JSON shapes and error bodies, checks HTTP basic auth, takes `latency` seconds to take
and answer each message (a slow provider), and can be told how to misbehave
on the next request(s): fail with a status and Twilio error code, accept the message
and then hang (the client times out after the provider accepted), or hang without
accepting. It can also play Twilio's signed status callbacks.

    with TwilioStub() as stub:
        stub.fail_next(status=400, code=21211, message="Invalid 'To' Phone Number")
"""

import base64
import hmac
import json
import re
import secrets
import socket
import threading
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from twilio.request_validator import RequestValidator

from services.messaging.segments import segment_count

API_VERSION = "2010-04-01"
MESSAGES_PATH = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json$")


@dataclass(frozen=True)
class StubMessage:
    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status: str
    status_callback: str | None
    date_created: datetime
    date_sent: datetime | None
    date_updated: datetime
    error_code: int | None = None

    def as_json(self) -> dict[str, Any]:
        """Twilio's Message resource, with its RFC 2822 dates and string counters."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}.json"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body,
            "date_created": _rfc2822(self.date_created),
            "date_sent": _rfc2822(self.date_sent),
            "date_updated": _rfc2822(self.date_updated),
            "direction": "outbound-api",
            "error_code": self.error_code,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": "0",
            "num_segments": str(segment_count(self.body).segments),
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": self.to,
            "uri": uri,
        }


@dataclass
class _Behaviour:
    kind: str  # "fail", "accept_then_hang", "hang_before_accept"
    status: int = 500
    code: int | None = None
    message: str = ""
    seconds: float = 0.0


@dataclass
class _State:
    account_sid: str
    auth_token: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    messages: list[StubMessage] = field(default_factory=list)
    behaviours: deque[_Behaviour] = field(default_factory=deque)
    stopping: threading.Event = field(default_factory=threading.Event)
    posts_received: int = 0
    latency: float = 0.0

    def next_behaviour(self) -> _Behaviour | None:
        with self.lock:
            return self.behaviours.popleft() if self.behaviours else None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)  # Twilio's dates have whole seconds


def _rfc2822(value: datetime | None) -> str | None:
    return format_datetime(value, usegmt=True) if value else None


def _parse_twilio_date(value: str) -> datetime:
    """What the SDK sends for DateSent filters: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ."""
    if "T" in value:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)


def _error(status: int, code: int | None, message: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"message": message, "status": status}
    if code is not None:  # without "code" the SDK falls back to the HTTP status
        payload["code"] = code
        payload["more_info"] = f"https://www.twilio.com/docs/errors/{code}"
    return payload


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like api.twilio.com
    # Headers and body go out in two writes: without this each answer waits ~40 ms.
    disable_nagle_algorithm = True
    timeout = 10  # idle keep-alive connections give their thread back
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output

    @property
    def state(self) -> _State:
        return self.server.state

    def do_POST(self) -> None:
        account = self._route()
        if account is None:
            return
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        with self.state.lock:
            self.state.posts_received += 1
        behaviour = self.state.next_behaviour()
        if behaviour and behaviour.kind == "fail":
            self._json(
                behaviour.status, _error(behaviour.status, behaviour.code, behaviour.message)
            )
            return
        if behaviour and behaviour.kind == "hang_before_accept":
            self._hang_and_drop(behaviour.seconds)
            return
        if self.state.latency:
            self.state.stopping.wait(self.state.latency)  # cut short by stop()
        missing = self._missing(form)
        if missing:
            self._json(400, _error(400, *missing))
            return
        now = _now()
        message = StubMessage(
            sid=f"SM{secrets.token_hex(16)}",
            account_sid=account,
            to=form["To"],
            from_=form.get("From"),
            messaging_service_sid=form.get("MessagingServiceSid"),
            body=form["Body"],
            status="queued",
            status_callback=form.get("StatusCallback"),
            date_created=now,
            date_sent=now,
            date_updated=now,
        )
        with self.state.lock:
            self.state.messages.append(message)
        if behaviour and behaviour.kind == "accept_then_hang":
            self._hang_and_drop(behaviour.seconds)
            return
        self._json(201, message.as_json())

    def do_GET(self) -> None:
        account = self._route()
        if account is None:
            return
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        behaviour = self.state.next_behaviour()
        if behaviour and behaviour.kind == "fail":
            self._json(
                behaviour.status, _error(behaviour.status, behaviour.code, behaviour.message)
            )
            return
        if behaviour:
            self._hang_and_drop(behaviour.seconds)
            return
        with self.state.lock:
            recorded = list(self.state.messages)
        # Twilio lists the most recently sent first; newest first within a second too.
        messages = [
            m for m in reversed(recorded) if m.account_sid == account and _matches(m, query)
        ]
        messages.sort(key=lambda m: (m.date_sent or m.date_created, m.date_created), reverse=True)
        page_size = min(int(query.get("PageSize", 50)), 1000)
        page = int(query.get("Page", 0))
        chunk = messages[page * page_size : (page + 1) * page_size]
        path = urlsplit(self.path).path

        def page_uri(number: int) -> str:
            return f"{path}?{urlencode({**query, 'PageSize': page_size, 'Page': number})}"

        more = len(messages) > (page + 1) * page_size
        self._json(
            200,
            {
                "end": page * page_size + max(len(chunk) - 1, 0),
                "first_page_uri": page_uri(0),
                "messages": [m.as_json() for m in chunk],
                "next_page_uri": page_uri(page + 1) if more else None,
                "page": page,
                "page_size": page_size,
                "previous_page_uri": page_uri(page - 1) if page else None,
                "start": page * page_size,
                "uri": page_uri(page),
            },
        )

    def _route(self) -> str | None:
        """The account sid of an authenticated Messages request, or None once answered."""
        match = MESSAGES_PATH.match(urlsplit(self.path).path)
        if not match:
            self.close_connection = True  # the body, if any, was not read
            self._json(404, _error(404, 20404, "The requested resource was not found"))
            return None
        if not self._authorised() or match["account"] != self.state.account_sid:
            # Drain the body so the keep-alive connection stays usable.
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._json(
                401,
                _error(401, 20003, "Authenticate"),
                headers={"WWW-Authenticate": 'Basic realm="Twilio API"'},
            )
            return None
        return match["account"]

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded, validate=True).decode()
        except ValueError:
            return False
        expected = f"{self.state.account_sid}:{self.state.auth_token}"
        return hmac.compare_digest(decoded.encode(), expected.encode())

    @staticmethod
    def _missing(form: dict[str, str]) -> tuple[int, str] | None:
        if not form.get("To"):
            return 21604, "A 'To' phone number is required."
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return 21603, "A 'From' phone number is required."
        if not form.get("Body"):
            return 21602, "Message body is required."
        return None

    def _hang_and_drop(self, seconds: float) -> None:
        """Sleep (cut short by stop()), then close the connection without an answer."""
        self.state.stopping.wait(seconds)
        self.close_connection = True

    def _json(
        self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the client gave up (timeout): nothing to do


def _matches(message: StubMessage, query: dict[str, str]) -> bool:
    if "To" in query and message.to != query["To"]:
        return False
    if "From" in query and message.from_ != query["From"]:
        return False
    if not any(key in query for key in ("DateSent", "DateSent>", "DateSent<")):
        return True
    sent = message.date_sent
    if sent is None:  # not sent yet: no DateSent filter matches it
        return False
    if "DateSent>" in query and sent < _parse_twilio_date(query["DateSent>"]):
        return False
    if "DateSent<" in query and sent > _parse_twilio_date(query["DateSent<"]):
        return False
    if "DateSent" in query:
        day = _parse_twilio_date(query["DateSent"])
        if len(query["DateSent"]) == 10 and sent.date() != day.date():
            return False
        if len(query["DateSent"]) > 10 and sent != day:
            return False
    return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State


class TwilioStub:
    """The stub server, running in a background thread on 127.0.0.1 and a random port."""

    def __init__(
        self, account_sid: str | None = None, auth_token: str | None = None, latency: float = 0.0
    ) -> None:
        """`latency`: seconds before each message is taken and answered (a slow provider)."""
        self.account_sid = account_sid or f"AC{secrets.token_hex(16)}"
        self.auth_token = auth_token or secrets.token_hex(16)
        self._state = _State(self.account_sid, self.auth_token, latency=latency)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self._state
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns at once
            name="twilio-stub",
            daemon=True,
        )
        self._thread.start()

    # Lifecycle

    def stop(self) -> None:
        self._state.stopping.set()  # wakes handlers that hang
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "TwilioStub":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Programming the next request(s)

    def fail_next(
        self, status: int = 500, code: int | None = None, message: str = "", times: int = 1
    ) -> None:
        """Answer the next `times` Messages requests with this error."""
        message = message or f"Stub error {code or status}"
        with self._state.lock:
            for _ in range(times):
                self._state.behaviours.append(_Behaviour("fail", status, code, message))

    def accept_then_hang(self, seconds: float) -> None:
        """Record the next message as accepted, then wait and close without answering."""
        with self._state.lock:
            self._state.behaviours.append(_Behaviour("accept_then_hang", seconds=seconds))

    def hang_before_accept(self, seconds: float) -> None:
        """Read the next request, then wait and close without recording or answering."""
        with self._state.lock:
            self._state.behaviours.append(_Behaviour("hang_before_accept", seconds=seconds))

    def reset(self) -> None:
        """Forget recorded messages and pending behaviours."""
        with self._state.lock:
            self._state.messages.clear()
            self._state.behaviours.clear()

    # Inspecting and driving messages

    @property
    def messages(self) -> list[StubMessage]:
        with self._state.lock:
            return list(self._state.messages)

    @property
    def posts_received(self) -> int:
        """Every send request that arrived, accepted or not (one may be hanging now)."""
        with self._state.lock:
            return self._state.posts_received

    def get(self, sid: str) -> StubMessage:
        for message in self.messages:
            if message.sid == sid:
                return message
        raise KeyError(sid)

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> StubMessage:
        """Change a recorded message's status, as Twilio does while delivering it."""
        with self._state.lock:
            for index, message in enumerate(self._state.messages):
                if message.sid == sid:
                    updated = replace(
                        message, status=status, error_code=error_code, date_updated=_now()
                    )
                    self._state.messages[index] = updated
                    return updated
        raise KeyError(sid)

    def post_status_callback(
        self, sid: str, status: str, error_code: int | None = None, url: str | None = None
    ) -> tuple[int, str]:
        """
        POST Twilio's signed status callback for message `sid` to its StatusCallback (or
        `url`, e.g. a live_server URL), after updating the recorded status. Returns the
        receiver's (status code, body); redirects are not followed.
        """
        message = self.set_status(sid, status, error_code)
        target = url or message.status_callback
        if not target:
            raise ValueError(f"message {sid} has no StatusCallback and no url was given")
        params = {
            "AccountSid": message.account_sid,
            "ApiVersion": API_VERSION,
            "From": message.from_ or "",
            "MessageSid": message.sid,
            "MessageStatus": status,
            "SmsSid": message.sid,
            "SmsStatus": status,
            "To": message.to,
        }
        if message.messaging_service_sid:
            params["MessagingServiceSid"] = message.messaging_service_sid
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        signature = RequestValidator(self.auth_token).compute_signature(target, params)
        response = requests.post(
            target,
            data=params,
            headers={"X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1"},
            timeout=10,
            allow_redirects=False,
        )
        return response.status_code, response.text


def closed_port_url() -> str:
    """A base URL on which nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
