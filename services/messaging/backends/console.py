import sys
import uuid
from datetime import datetime

from ..segments import segment_count
from .base import SendResult, SmsBackend


class ConsoleBackend(SmsBackend):
    """Prints each message and its segment count; for `make demo` and development."""

    def send(
        self, *, to: str, body: str, reference: str, status_callback: str | None
    ) -> SendResult:
        count = segment_count(body)
        sys.stdout.write(
            f"SMS to {to} [{reference}] {count.encoding}, {count.segments} segment(s):\n  {body}\n"
        )
        sys.stdout.flush()
        return SendResult(f"console-{uuid.uuid4().hex}", "sent")

    def lookup(self, *, to: str, body: str, since: datetime) -> list[SendResult]:
        return []  # nothing leaves the machine, so nothing can be half-sent
