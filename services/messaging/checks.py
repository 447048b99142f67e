"""Settings of the outbox that would make it misbehave, refused at startup."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def sms_timeouts_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """
    A worker uses the stamp that proves it holds a message only while a provider call
    can still end before recovery may look the message up; with a sending timeout of
    less than two HTTP timeouts, few or no sends would go.
    """
    sending, http = settings.SMS_SENDING_TIMEOUT_SECONDS, settings.SMS_HTTP_TIMEOUT
    if sending >= 2 * http:
        return []
    return [
        Error(
            f"SMS_SENDING_TIMEOUT_SECONDS ({sending:g}) is less than twice SMS_HTTP_TIMEOUT "
            f"({http:g}): a send could still be under way when recovery looks it up.",
            hint="Raise SMS_SENDING_TIMEOUT_SECONDS or lower SMS_HTTP_TIMEOUT.",
            id="messaging.E001",
        )
    ]
