import pytest
from twilio.request_validator import RequestValidator

from services.messaging.actions.schedule import message_schedule
from services.messaging.keywords import keyword_of
from services.messaging.models import InboundMessage, Message
from services.messaging.sms_templates import Kind

from .helpers import CONTEXT, opted_in

TOKEN = "test-auth-token"
INBOUND = "/messages/twilio/inbound/"
STATUS = "/messages/twilio/status/"


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        " Stop! ",
        "ARRÊT",
        "arret",
        "Unsubscribe",
        "توقف",
        "تَوَقَّف",
        "إيقاف",
        "لغو",
        "وەستان",
        "ኣቁም",
        "አቁም",
        "روکیں",
        "stop please",
    ],
)
def test_stop_in_every_language_and_spelling(body):
    assert keyword_of(body) == "stop"


@pytest.mark.parametrize("body", ["START", "start", "Démarrer", "شروع", "ابدأ", "ጀምር"])
def test_start_in_several_languages(body):
    assert keyword_of(body) == "start"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "Thank you",
        "where is the distribution today?",
        "stopped by the police yesterday at the bridge",
    ],
)
def test_ordinary_replies_are_not_keywords(body):
    assert keyword_of(body) is None


def post_signed(client, url, params, token=TOKEN):
    signature = RequestValidator(token).compute_signature(f"http://testserver{url}", params)
    return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


def test_stop_reply_opts_out_at_once_and_cancels_pending(client, site, twilio_token):
    person = opted_in(site, language="ckb")
    message_schedule(key="a:1", kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT)
    response = post_signed(
        client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "وەستان"}
    )
    assert response.status_code == 200 and b"<Response" in response.content
    person.refresh_from_db()
    assert person.sms_consent is False and person.sms_consent_changed_by is None
    assert Message.objects.get(idempotency_key="a:1").status == Message.Status.CANCELLED
    confirmation = Message.objects.get(kind=Kind.OPT_OUT_CONFIRMATION)
    assert confirmation.status == Message.Status.PENDING and not confirmation.needs_consent
    assert InboundMessage.objects.get().action == InboundMessage.Action.OPT_OUT


def test_start_reply_resubscribes(client, site, twilio_token):
    person = opted_in(site)
    post_signed(client, INBOUND, {"MessageSid": "SM1", "From": "+33612345678", "Body": "STOP"})
    post_signed(client, INBOUND, {"MessageSid": "SM2", "From": "0612345678", "Body": "START"})
    person.refresh_from_db()
    assert person.sms_consent is True


def test_the_same_webhook_twice_is_recorded_once(client, site, twilio_token):
    opted_in(site)
    params = {"MessageSid": "SM1", "From": "+33612345678", "Body": "hello, thank you"}
    post_signed(client, INBOUND, params)
    post_signed(client, INBOUND, params)
    assert InboundMessage.objects.count() == 1
    assert InboundMessage.objects.get().people.count() == 1


def test_a_reply_from_an_unknown_number_is_kept_for_coordinators(client, db, twilio_token):
    response = post_signed(
        client, INBOUND, {"MessageSid": "SM9", "From": "+447911123456", "Body": "Hi"}
    )
    assert response.status_code == 200
    assert InboundMessage.objects.get().body == "Hi"


@pytest.mark.parametrize("url", [INBOUND, STATUS])
def test_webhooks_refuse_missing_or_bad_signatures(client, db, twilio_token, url):
    params = {
        "MessageSid": "SM1",
        "MessageStatus": "delivered",
        "From": "+33612345678",
        "Body": "STOP",
    }
    assert client.post(url, params).status_code == 403
    assert post_signed(client, url, params, token="someone-else").status_code == 403
    tampered = RequestValidator(TOKEN).compute_signature(f"http://testserver{url}", params)
    assert (
        client.post(url, {**params, "Body": "START"}, HTTP_X_TWILIO_SIGNATURE=tampered).status_code
        == 403
    )
    assert not InboundMessage.objects.exists()


def test_webhooks_refuse_a_get(client, db):
    assert client.get(INBOUND).status_code == 405


def test_status_callbacks_move_a_message_forward_only(client, site, twilio_token):
    person = opted_in(site)
    message = message_schedule(
        key="a:1", kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT
    )
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, provider_message_id="SMabc"
    )
    assert (
        post_signed(
            client, STATUS, {"MessageSid": "SMabc", "MessageStatus": "delivered"}
        ).status_code
        == 204
    )
    post_signed(client, STATUS, {"MessageSid": "SMabc", "MessageStatus": "sent"})
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED and message.delivered_at


def test_an_undelivered_callback_records_the_reason_and_flags_a_dead_number(
    client, site, twilio_token
):
    person = opted_in(site)
    message = message_schedule(
        key="a:1", kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT
    )
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, provider_message_id="SMdef", to_phone="+33612345678"
    )
    post_signed(
        client,
        STATUS,
        {"MessageSid": "SMdef", "MessageStatus": "undelivered", "ErrorCode": "30005"},
    )
    message.refresh_from_db()
    person.refresh_from_db()
    assert message.status == Message.Status.UNDELIVERED and message.error_code == "30005"
    assert "Unknown number" in message.error_reason
    assert person.phone_invalid_at is not None


def test_a_status_callback_without_a_sid_is_a_clear_400(client, db, twilio_token):
    response = post_signed(client, STATUS, {"MessageStatus": "delivered"})
    assert response.status_code == 400 and "MessageSid" in response.json()["detail"]
