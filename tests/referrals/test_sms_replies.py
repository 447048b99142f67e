"""
The person answers a medical appointment reminder by SMS, through the real outbox
(locmem provider) and the signed inbound webhook: the answer is recorded on the
referral for the medical team, never as a change of the clinic's appointment.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from services.audit.models import AuditEntry
from services.messaging import backends
from services.messaging.actions import dispatch
from services.messaging.backends import locmem
from services.messaging.models import InboundMessage, Message
from services.referrals.actions import workflow
from services.referrals.models import SmsAnswer, Status
from tests.messaging.test_replies import INBOUND, TOKEN, post_signed

from .conftest import in_days


@pytest.fixture(autouse=True)
def locmem_provider(settings):
    settings.SMS_BACKEND = "locmem"
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0
    backends._instances.clear()
    locmem.outbox.clear()
    yield
    backends._instances.clear()
    locmem.outbox.clear()


def send_reminder(referral, which="24h"):
    reminder = Message.objects.get(
        idempotency_key__startswith=f"referral:{referral.pk}:reminder-{which}@",
        status=Message.Status.PENDING,
    )
    Message.objects.filter(pk=reminder.pk).update(send_at=timezone.now())
    claim = dispatch.messages_claim_due(limit=10)
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))
    return reminder


def reply(client, body, sid="SMreply1"):
    post_signed(client, INBOUND, {"MessageSid": sid, "From": "+33612345678", "Body": body})
    return InboundMessage.objects.get(provider_message_id=sid)


def test_the_reminder_asks_for_1_or_2(booked):
    send_reminder(booked)
    assert "1" in locmem.outbox[0].body and "2" in locmem.outbox[0].body


@pytest.mark.parametrize("body", ["1", "نعم", "oui"])
def test_replying_1_records_that_the_person_will_come(client, booked, body):
    send_reminder(booked)
    inbound = reply(client, body)
    booked.refresh_from_db()
    assert inbound.action == InboundMessage.Action.CONFIRMED
    assert booked.sms_answer == SmsAnswer.CONFIRMED and booked.sms_answer_at is not None
    assert booked.status == Status.BOOKED
    assert AuditEntry.objects.filter(action="referral.sms_answer").exists()


@pytest.mark.parametrize("body", ["2", "لا"])
def test_replying_2_tells_the_team_and_stops_the_reminders(client, booked, body):
    send_reminder(booked)
    inbound = reply(client, body)
    booked.refresh_from_db()
    assert inbound.action == InboundMessage.Action.CANCELLED
    assert booked.sms_answer == SmsAnswer.CANCELLED and booked.status == Status.BOOKED
    pending = Message.objects.filter(
        idempotency_key__startswith=f"referral:{booked.pk}:", status=Message.Status.PENDING
    )
    assert not pending.exists()


def test_an_answer_to_a_time_since_moved_changes_nothing(client, booked, medical):
    send_reminder(booked)
    workflow.referral_book(actor=medical, referral=booked, starts_at=in_days(4))
    inbound = reply(client, "2")
    booked.refresh_from_db()
    assert inbound.action == "" and booked.sms_answer == ""


def test_an_answer_after_the_referral_was_closed_changes_nothing(client, booked, medical):
    send_reminder(booked)
    workflow.referral_close(actor=medical, referral=booked, reason="clinic closed")
    inbound = reply(client, "1")
    booked.refresh_from_db()
    assert inbound.action == "" and booked.sms_answer == ""


def test_the_same_answer_twice_is_recorded_once(client, booked):
    send_reminder(booked)
    reply(client, "1", sid="SM1")
    second = reply(client, "1", sid="SM2")
    assert second.action == ""
    assert AuditEntry.objects.filter(action="referral.sms_answer").count() == 1


def test_a_reply_with_no_reminder_sent_does_nothing(client, booked):
    inbound = reply(client, "1")
    booked.refresh_from_db()
    assert inbound.action == "" and booked.sms_answer == ""


def test_the_medical_team_reads_the_answer_on_the_referral(client, booked, medical):
    send_reminder(booked)
    reply(client, "2")
    client.force_login(medical)
    page = client.get(reverse("referrals:detail", args=[booked.pk])).content.decode()
    assert "Cannot come: tell the clinic" in page
