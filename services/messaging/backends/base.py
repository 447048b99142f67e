from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str
    status: str  # the provider's word: queued, accepted, sent, ...


class SendError(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class TransientSendError(SendError):
    """Nothing was sent (timeout before connect, 5xx, 429): safe to retry later."""


class PermanentSendError(SendError):
    """The provider refused this message for good (bad number, unsubscribed, region)."""


class UnknownOutcomeError(SendError):
    """The request may have been accepted (e.g. read timeout): look it up before retrying."""


class SmsBackend:
    def send(
        self, *, to: str, body: str, reference: str, status_callback: str | None
    ) -> SendResult:
        raise NotImplementedError

    def lookup(self, *, to: str, body: str, since: datetime) -> list[SendResult]:
        """Messages to `to` with exactly `body` accepted at or after `since`, oldest first."""
        raise NotImplementedError
