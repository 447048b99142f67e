import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from .base import SendResult, SmsBackend


@dataclass
class SentSms:
    to: str
    body: str
    reference: str
    provider_message_id: str
    at: datetime = field(default_factory=timezone.now)


outbox: list[SentSms] = []


class LocmemBackend(SmsBackend):
    """Keeps messages in `outbox` in this process, like Django's locmem email backend."""

    def send(
        self, *, to: str, body: str, reference: str, status_callback: str | None
    ) -> SendResult:
        sms = SentSms(to, body, reference, f"locmem-{uuid.uuid4().hex}")
        outbox.append(sms)
        return SendResult(sms.provider_message_id, "sent")

    def lookup(self, *, to: str, body: str, since: datetime) -> list[SendResult]:
        return [
            SendResult(sms.provider_message_id, "sent")
            for sms in outbox
            if sms.to == to and sms.body == body and sms.at >= since
        ]
