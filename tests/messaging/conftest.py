from collections.abc import Iterator

import pytest
from pytest_django import Settings

from services.messaging import backends

from .twilio_stub import TwilioStub


@pytest.fixture
def twilio_stub() -> Iterator[TwilioStub]:
    with TwilioStub() as stub:
        yield stub


@pytest.fixture
def twilio_settings(settings: Settings, twilio_stub: TwilioStub) -> Iterator[Settings]:
    """Point the twilio backend at the stub, with a 1 s timeout so hang tests stay short."""
    backends._instances.clear()
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = twilio_stub.account_sid
    settings.TWILIO_AUTH_TOKEN = twilio_stub.auth_token
    settings.TWILIO_FROM = "+33700000000"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = twilio_stub.base_url
    settings.SMS_HTTP_TIMEOUT = 1.0
    yield settings
    backends._instances.clear()
