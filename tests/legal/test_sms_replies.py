"""
The person answers a reminder by SMS: through the real outbox (locmem provider) and
the signed inbound webhook, as the provider would call it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from services.audit.models import AuditEntry
from services.legal.models import Appointment
from services.messaging import backends
from services.messaging.actions import dispatch
from services.messaging.backends import locmem
from services.messaging.models import InboundMessage, Message
from services.scheduling.models import SlotHold
from tests.messaging.test_replies import INBOUND, TOKEN, post_signed

S = Appointment.Status


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


def send_reminder(appointment, which="24h"):
    """Bring the reminder's time forward to now and let the outbox send it."""
    reminder = Message.objects.get(
        idempotency_key__startswith=f"appointment:{appointment.pk}:reminder-{which}@",
        status=Message.Status.PENDING,
    )
    Message.objects.filter(pk=reminder.pk).update(send_at=timezone.now())
    claim = dispatch.messages_claim_due(limit=10)
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))
    reminder.refresh_from_db()
    return reminder


def reply(client, body, sid="SMreply1"):
    response = post_signed(
        client, INBOUND, {"MessageSid": sid, "From": "+33612345678", "Body": body}
    )
    assert response.status_code == 200
    return InboundMessage.objects.get(provider_message_id=sid)


def test_the_sent_reminder_is_neutral_and_in_the_persons_language(booked):
    message = send_reminder(booked)
    assert message.status == Message.Status.SENT and message.rendered_language == "ar"
    body = locmem.outbox[0].body
    assert "Hospital site" in body and "10:00" in body
    assert "Dublin" not in body and "legal" not in body.lower()


@pytest.mark.parametrize("body", ["1", "١", "Yes", "oui", "نعم", "بەڵێ", "እወ", "አዎ", "جی ہاں"])
def test_replying_1_or_yes_in_any_script_confirms(client, booked, body):
    send_reminder(booked)
    inbound = reply(client, body)
    booked.refresh_from_db()
    assert booked.status == S.CONFIRMED
    assert inbound.action == InboundMessage.Action.CONFIRMED
    event = booked.events.last()
    assert (event.kind, event.actor, event.via) == ("confirmed", None, "sms")
    entry = AuditEntry.objects.get(action="legal.appointment.status.confirmed")
    assert entry.actor is None and entry.details == {"via": "sms"}
    # The 2-hour reminder still goes.
    two_hours = Message.objects.get(
        idempotency_key__startswith=f"appointment:{booked.pk}:reminder-2h@"
    )
    assert two_hours.status == (Message.Status.PENDING)


@pytest.mark.parametrize("body", ["2", "۲", "no", "Non", "لا", "نه", "نەخێر", "ኣይፋል", "نہیں"])
def test_replying_2_or_no_cancels_frees_the_slot_and_the_reminders(client, booked, body):
    send_reminder(booked)
    inbound = reply(client, body)
    booked.refresh_from_db()
    assert booked.status == S.CANCELLED
    assert inbound.action == InboundMessage.Action.CANCELLED
    assert not SlotHold.objects.exists()
    two_hours = Message.objects.get(
        idempotency_key__startswith=f"appointment:{booked.pk}:reminder-2h@"
    )
    assert two_hours.status == (Message.Status.CANCELLED)
    assert AuditEntry.objects.get(action="legal.appointment.status.cancelled").details == {
        "via": "sms"
    }


def test_an_unrecognised_reply_is_only_stored(client, booked):
    send_reminder(booked)
    inbound = reply(client, "I am at the bridge, where is it?")
    booked.refresh_from_db()
    assert booked.status == S.BOOKED and inbound.action == ""


def test_a_reply_with_no_reminder_sent_does_nothing(client, booked):
    inbound = reply(client, "2")
    booked.refresh_from_db()
    assert booked.status == S.BOOKED and inbound.action == ""


def test_a_reply_days_after_the_reminder_does_nothing(client, booked):
    message = send_reminder(booked)
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.now() - timedelta(days=4))
    reply(client, "2")
    booked.refresh_from_db()
    assert booked.status == S.BOOKED


def test_stop_still_stops_and_does_not_cancel(client, booked):
    send_reminder(booked)
    inbound = reply(client, "STOP")
    booked.refresh_from_db()
    assert inbound.action == InboundMessage.Action.OPT_OUT and booked.status == S.BOOKED


def test_a_second_answer_after_cancelling_changes_nothing(client, booked):
    send_reminder(booked)
    reply(client, "2", sid="SMa")
    second = reply(client, "1", sid="SMb")
    booked.refresh_from_db()
    assert booked.status == S.CANCELLED and second.action == ""


def test_an_answer_to_the_reminder_of_a_time_since_moved_changes_nothing(
    client, booked, advisor, interpreter, site, day
):
    from services.legal.actions import appointment_reschedule
    from tests.legal.conftest import choice

    send_reminder(booked)
    appointment_reschedule(
        actor=advisor, appointment=booked, slot=choice(day, 11, advisor, interpreter, site)
    )
    reply(client, "2")
    booked.refresh_from_db()
    assert booked.status == S.BOOKED
