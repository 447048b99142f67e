"""
E-mail to volunteers, through Django's default mailer (settings.MAILERS: the console in
the demo, locmem in tests, SMTP in production), with the same outcomes as an SMS
backend so the dispatcher treats both alike.

SMTP has no look-up of what was accepted. Each e-mail's Message-ID is made from its
outbox key, so a send retried after an unknown outcome (a connection lost after the
server took the text) is the same message to the reader's mail program, which shows
it once, rather than a second e-mail.
"""

import hashlib
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend

from .base import PermanentSendError, SendResult, TransientSendError


def email_reference(key: str) -> str:
    """The provider id of the e-mail with this outbox key (and its Message-ID's left part)."""
    return "email-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "fieldapp.invalid"


class EmailSender:
    """Sends a batch's e-mails over one connection, opened at the first."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None

    def send(self, *, to: str, subject: str, body: str, reference: str) -> SendResult:
        provider_id = email_reference(reference)
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[to],
            headers={"Message-ID": f"<{provider_id}@{_domain()}>"},
        )
        try:
            self._connection().send_messages([message])
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentSendError("email_refused", str(error)) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TransientSendError("email", str(error)) from error
        return SendResult(provider_id, "sent")

    def _connection(self) -> BaseEmailBackend:
        if self.connection is None:
            connection = mailers.default
            try:
                connection.open()
            except (smtplib.SMTPException, OSError) as error:
                raise TransientSendError("email", str(error)) from error
            self.connection = connection
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass  # the server went away first; nothing was pending on it
