"""
SMS backends, chosen by settings.SMS_BACKEND like Django's email backends.

Each is a small adapter behind SmsBackend: send() one text, and lookup() a text that
may have been accepted before we could record it (crash recovery).
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    PermanentSendError,
    SendResult,
    SmsBackend,
    TransientSendError,
    UnknownOutcomeError,
)

BACKENDS = {
    "console": "services.messaging.backends.console.ConsoleBackend",
    "locmem": "services.messaging.backends.locmem.LocmemBackend",
    "twilio": "services.messaging.backends.twilio.TwilioBackend",
}

_instances: dict[str, SmsBackend] = {}


def get_backend() -> SmsBackend:
    """One backend per process and setting (the Twilio client keeps its HTTP session)."""
    name = settings.SMS_BACKEND
    if name not in _instances:
        _instances.clear()
        _instances[name] = import_string(BACKENDS.get(name, name))()
    return _instances[name]


__all__ = [
    "PermanentSendError",
    "SendResult",
    "SmsBackend",
    "TransientSendError",
    "UnknownOutcomeError",
    "get_backend",
]
