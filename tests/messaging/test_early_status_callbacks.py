"""
Status callbacks that come before their send is recorded: a worker records accepted
sends in groups after the provider calls, so Twilio can call back first. None is lost.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from services.messaging import backends
from services.messaging.actions import dispatch
from services.messaging.actions.provider import message_status_update
from services.messaging.actions.schedule import message_schedule
from services.messaging.backends import locmem
from services.messaging.backends.base import SendResult, UnknownOutcomeError
from services.messaging.models import Message, PendingStatusCallback
from services.messaging.sms_templates import Kind

from .helpers import CONTEXT, opted_in

S = Message.Status
TOKEN = "test-auth-token"
STATUS = "/messages/twilio/status/"


class CallsBackFirst(locmem.LocmemBackend):
    """Locmem, where the provider's status callback arrives before send() returns."""

    def __init__(self, status="delivered", error_code=""):
        self.status, self.error_code = status, error_code

    def send(self, **kwargs) -> SendResult:
        result = super().send(**kwargs)
        message_status_update(
            provider_message_id=result.provider_message_id,
            status=self.status,
            error_code=self.error_code,
        )
        return result


class AnswerLost(locmem.LocmemBackend):
    """Accepts the message, but the answer never comes back."""

    def send(self, **kwargs) -> SendResult:
        super().send(**kwargs)
        raise UnknownOutcomeError("timeout", "read timeout")


@pytest.fixture(autouse=True)
def locmem_backend(settings):
    settings.SMS_BACKEND = "locmem"
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0
    settings.TWILIO_AUTH_TOKEN = TOKEN
    backends._instances.clear()
    locmem.outbox.clear()
    yield
    backends._instances.clear()
    locmem.outbox.clear()


def use_backend(backend):
    backends._instances[backends.settings.SMS_BACKEND] = backend


def schedule(person, key="appointment:1:reminder"):
    return message_schedule(key=key, kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT)


def claim_and_send():
    claim = dispatch.messages_claim_due(limit=100)
    return dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    )


def test_a_delivery_reported_before_the_send_is_recorded_is_applied_when_it_is(site):
    use_backend(CallsBackFirst("delivered"))
    message = schedule(opted_in(site))
    claim_and_send()
    message.refresh_from_db()
    assert message.status == S.DELIVERED and message.delivered_at
    assert message.provider_message_id == locmem.outbox[0].provider_message_id
    assert not PendingStatusCallback.objects.exists()


def test_an_early_undelivered_callback_still_flags_a_dead_number(site):
    use_backend(CallsBackFirst("undelivered", error_code="30005"))
    person = opted_in(site)
    message = schedule(person)
    claim_and_send()
    message.refresh_from_db()
    person.refresh_from_db()
    assert message.status == S.UNDELIVERED and message.error_code == "30005"
    assert person.phone_invalid_at is not None


def test_a_callback_kept_while_the_send_was_being_recorded_is_applied_by_the_webhook(
    site, django_capture_on_commit_callbacks
):
    message = schedule(opted_in(site))
    # The callback finds no message with its id; before it commits, the worker records
    # the id and finds no pending callback for it yet.
    with django_capture_on_commit_callbacks() as after_commit:
        assert message_status_update(provider_message_id="SMearly", status="delivered") is None
    Message.objects.filter(pk=message.pk).update(status=S.SENT, provider_message_id="SMearly")
    for callback in after_commit:
        callback()
    message.refresh_from_db()
    assert message.status == S.DELIVERED
    assert not PendingStatusCallback.objects.exists()


def test_a_send_found_by_recovery_gets_the_status_that_came_meanwhile(site):
    use_backend(AnswerLost())
    message = schedule(opted_in(site))
    claim_and_send()
    sid = locmem.outbox[0].provider_message_id
    message_status_update(provider_message_id=sid, status="delivered")
    assert PendingStatusCallback.objects.filter(provider_message_id=sid).exists()
    dispatch.message_recover(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == (S.DELIVERED, sid)
    assert len(locmem.outbox) == 1


def test_the_webhook_keeps_a_callback_for_an_unknown_id_and_drops_old_ones(client, db):
    PendingStatusCallback.objects.create(provider_message_id="SMold", status="sent")
    PendingStatusCallback.objects.update(received_at=timezone.now() - timedelta(days=3))
    params = {"MessageSid": "SMnew", "MessageStatus": "sent"}
    signature = RequestValidator(TOKEN).compute_signature(f"http://testserver{STATUS}", params)
    response = client.post(STATUS, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 204
    kept = PendingStatusCallback.objects.values_list("provider_message_id", "status")
    assert list(kept) == [("SMnew", "sent")]
