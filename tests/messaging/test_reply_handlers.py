"""Answers (1 / 2, yes / no in every script) go to the handler of the message they answer."""

import pytest
from django.utils import timezone

from services.messaging import reply_handlers
from services.messaging.actions.schedule import message_schedule
from services.messaging.keywords import answer_of, keyword_of
from services.messaging.models import InboundMessage, Message
from services.messaging.sms_templates import Kind

from .helpers import CONTEXT, opted_in
from .test_replies import INBOUND, post_signed


@pytest.mark.parametrize(
    "body",
    [
        "1",
        " 1. ",
        "١",
        "۱",
        "፩",
        "YES",
        "ok",
        "Oui",
        "نعم",
        "تأكيد",
        "هو",
        "بله",
        "بەڵێ",
        "እወ",
        "ሕራይ",
        "አዎ",
        "جی ہاں",
        "ہاں",
    ],
)
def test_confirm_in_every_language_and_script(body):
    assert answer_of(body) == "confirm" and keyword_of(body) is None


@pytest.mark.parametrize(
    "body",
    [
        "2",
        "٢",
        "۲",
        "፪",
        "no",
        "NON",
        "annuler",
        "لا",
        "نه",
        "نخیر",
        "نەخێر",
        "ኣይፋል",
        "አይ",
        "نہیں",
        "منسوخ",
    ],
)
def test_cancel_in_every_language_and_script(body):
    assert answer_of(body) == "cancel" and keyword_of(body) is None


@pytest.mark.parametrize("body", ["", "12", "3", "thank you very much friend", "where?"])
def test_other_replies_are_not_answers(body):
    assert answer_of(body) is None


@pytest.fixture
def recorder(monkeypatch, settings):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    calls = []

    def handler(message, answer):
        calls.append((message.idempotency_key, answer))
        return InboundMessage.Action.CONFIRMED

    monkeypatch.setattr(reply_handlers, "_HANDLERS", {Kind.SHIFT_REMINDER: handler})
    return calls


def sent(person, key, kind=Kind.SHIFT_REMINDER, **fields):
    message = message_schedule(key=key, kind=kind, person=person, context=CONTEXT)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, sent_at=timezone.now(), **fields
    )
    return message


def test_an_answer_goes_to_the_handler_of_the_latest_message_that_takes_answers(
    client, site, recorder
):
    person = opted_in(site)
    sent(person, "shift:1")
    sent(person, "shift:2")
    sent(person, "distribution:9", kind=Kind.DISTRIBUTION_ANNOUNCEMENT)
    post_signed(client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "1"})
    assert recorder == [("shift:2", "confirm")]
    assert InboundMessage.objects.get().action == InboundMessage.Action.CONFIRMED


def test_a_message_still_waiting_is_not_answered(client, site, recorder):
    person = opted_in(site)
    message_schedule(key="shift:1", kind=Kind.SHIFT_REMINDER, person=person, context=CONTEXT)
    post_signed(client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "2"})
    assert recorder == [] and InboundMessage.objects.get().action == ""
