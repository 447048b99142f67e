"""
Messages to volunteers (a User, not a person served): by their own channel, SMS through
the real twilio client against the stub, e-mail through Django's locmem mailer; in their
interface language; with the outbox's guarantees (one row per key, sent once, quiet
hours, retries, STOP) and their one-time links cut from the outbox once sent.
"""

import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.utils import timezone
from twilio.request_validator import RequestValidator

from services.accounts.actions import user_create
from services.accounts.actions.invitations import invitation_create
from services.accounts.models import Channel, User
from services.accounts.roles import Role
from services.messaging.actions import dispatch
from services.messaging.actions.redact import REMOVED
from services.messaging.actions.schedule import MessageCause, message_schedule
from services.messaging.models import Cause, InboundMessage, Message
from services.messaging.sms_templates import Kind, template_render
from services.people.phones import phone_parse

from .helpers import CONTEXT, opted_in

S = Message.Status
PARIS = ZoneInfo("Europe/Paris")
TOKEN = "test-auth-token"


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0


@pytest.fixture
def volunteer_by_sms(db, site):
    user = user_create(username="yonas", password="pw-1234-long", role=Role.VOLUNTEER, site=site)
    user.phone = phone_parse("+44 7911 123456")
    user.email = "yonas@example.org"
    user.notify_by = Channel.SMS
    user.language = "ar"
    user.save()
    return user


def shift_reminder(user, key="shift:1:reminder-24h", **kwargs):
    return message_schedule(
        key=key,
        kind=Kind.SHIFT_REMINDER,
        user=user,
        context=CONTEXT,
        cause=MessageCause(Cause.SHIFT, 1),
        **kwargs,
    )


def claim_and_send():
    claim = dispatch.messages_claim_due(limit=100)
    assert claim is not None, "nothing was due"
    return dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    )


def test_a_volunteer_gets_an_sms_in_their_own_language_through_twilio(
    volunteer_by_sms, twilio_settings, twilio_stub
):
    message = shift_reminder(volunteer_by_sms)
    assert (message.user, message.person, message.language) == (volunteer_by_sms, None, "ar")
    assert claim_and_send().accepted == 1
    [sent] = twilio_stub.messages
    assert sent.to == "+447911123456"
    assert sent.body == template_render(Kind.SHIFT_REMINDER, "ar", CONTEXT).text
    message.refresh_from_db()
    assert message.status == S.SENT and message.provider_message_id == sent.sid
    assert (message.channel, str(message.to_phone)) == (Channel.SMS, "+447911123456")
    assert (message.cause_type, message.cause_id) == (Cause.SHIFT, 1)


def test_a_volunteer_who_chose_email_gets_an_email_with_a_subject_and_a_body(volunteer_by_sms):
    User.objects.filter(pk=volunteer_by_sms.pk).update(notify_by=Channel.EMAIL, language="en")
    volunteer_by_sms.refresh_from_db()
    message = shift_reminder(volunteer_by_sms)
    assert claim_and_send().accepted == 1
    [email] = mail.outbox
    assert email.to == ["yonas@example.org"]
    assert email.subject == "Your shift on 28/11"
    assert "Your shift: 28/11 at 15:00, PASS Calais." in email.body
    message.refresh_from_db()
    assert (message.status, message.channel, message.to_email) == (
        S.SENT,
        Channel.EMAIL,
        "yonas@example.org",
    )
    assert email.extra_headers["Message-ID"].startswith(f"<{message.provider_message_id}@")


def test_the_channel_is_the_volunteers_choice_when_the_message_goes(volunteer_by_sms):
    message = shift_reminder(volunteer_by_sms)
    User.objects.filter(pk=volunteer_by_sms.pk).update(notify_by=Channel.EMAIL)
    claim_and_send()
    message.refresh_from_db()
    assert message.channel == Channel.EMAIL and len(mail.outbox) == 1


def test_a_message_that_names_its_channel_keeps_it(volunteer_by_sms):
    message = shift_reminder(volunteer_by_sms, channel=Channel.EMAIL)
    claim_and_send()
    message.refresh_from_db()
    assert message.channel == Channel.EMAIL and len(mail.outbox) == 1


def test_one_key_one_message_sent_once(volunteer_by_sms, twilio_settings, twilio_stub):
    first = shift_reminder(volunteer_by_sms)
    again = shift_reminder(volunteer_by_sms)
    assert first.pk == again.pk and Message.objects.count() == 1
    claim = dispatch.messages_claim_due(limit=10)
    for _ in range(2):  # the task delivered twice
        dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))
    shift_reminder(volunteer_by_sms)  # scheduled again after it went: left alone
    assert dispatch.messages_claim_due(limit=10) is None
    assert len(twilio_stub.messages) == 1


def test_a_volunteers_message_waits_through_quiet_hours(volunteer_by_sms, settings):
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = 21, 8
    evening = datetime(2026, 11, 25, 20, tzinfo=PARIS)
    shift_reminder(volunteer_by_sms, send_at=evening)
    assert dispatch.messages_claim_due(limit=10, now=evening + timedelta(hours=2)) is None
    morning = datetime(2026, 11, 26, 8, 1, tzinfo=PARIS)
    assert dispatch.messages_claim_due(limit=10, now=morning).message_ids


def test_an_sms_the_provider_refuses_for_now_is_retried(
    volunteer_by_sms, twilio_settings, twilio_stub
):
    twilio_stub.fail_next(status=503, code=None, message="Service unavailable")
    message = shift_reminder(volunteer_by_sms)
    claim_and_send()
    message.refresh_from_db()
    assert message.status == S.PENDING and message.attempts == 1 and message.error_code
    Message.objects.filter(pk=message.pk).update(send_at=timezone.now())
    claim_and_send()
    message.refresh_from_db()
    assert message.status == S.SENT and len(twilio_stub.messages) == 1


class BrokenMailServer(LocmemEmailBackend):
    """The mail server is away for the first send."""

    failures = 1

    def send_messages(self, messages):
        if BrokenMailServer.failures:
            BrokenMailServer.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_an_email_the_server_did_not_take_is_retried_under_the_same_message_id(
    volunteer_by_sms, settings
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    BrokenMailServer.failures = 1
    message = shift_reminder(volunteer_by_sms, channel=Channel.EMAIL)
    claim_and_send()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (S.PENDING, "email") and not mail.outbox
    Message.objects.filter(pk=message.pk).update(send_at=timezone.now())
    claim_and_send()
    message.refresh_from_db()
    assert message.status == S.SENT and len(mail.outbox) == 1


def test_an_email_whose_outcome_was_lost_goes_again_with_the_same_message_id(volunteer_by_sms):
    message = shift_reminder(volunteer_by_sms, channel=Channel.EMAIL)
    claim_and_send()
    message.refresh_from_db()
    first_id = mail.outbox[0].extra_headers["Message-ID"]
    # As if the worker died after the server took it, before the outcome was written.
    Message.objects.filter(pk=message.pk).update(status=S.SENDING, provider_message_id="")
    dispatch.message_recover(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == S.PENDING
    Message.objects.filter(pk=message.pk).update(send_at=timezone.now())
    claim_and_send()
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [first_id, first_id]


def test_nothing_reaches_a_volunteer_whose_stay_has_ended(volunteer_by_sms, twilio_settings):
    message = shift_reminder(volunteer_by_sms)
    User.objects.filter(pk=volunteer_by_sms.pk).update(
        leaves_on=timezone.localdate() - timedelta(days=1)
    )
    claim_and_send()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (S.CANCELLED, "unreachable")
    volunteer_by_sms.refresh_from_db()
    assert shift_reminder(volunteer_by_sms, key="shift:2") is None


def test_a_volunteer_without_an_address_for_their_channel_is_not_scheduled(volunteer_by_sms):
    User.objects.filter(pk=volunteer_by_sms.pk).update(notify_by=Channel.EMAIL, email="")
    volunteer_by_sms.refresh_from_db()
    assert shift_reminder(volunteer_by_sms) is None


def test_a_message_goes_to_one_person_or_one_volunteer(volunteer_by_sms, site):
    with pytest.raises(ValueError):
        message_schedule(
            key="both",
            kind=Kind.SHIFT_REMINDER,
            person=opted_in(site),
            user=volunteer_by_sms,
            context=CONTEXT,
        )
    with pytest.raises(ValueError):
        message_schedule(
            key="email-to-person",
            kind=Kind.APPOINTMENT_REMINDER,
            person=opted_in(site, phone="0611111111"),
            channel=Channel.EMAIL,
            context=CONTEXT,
        )


def post_signed(client, params):
    url = "/messages/twilio/inbound/"
    signature = RequestValidator(TOKEN).compute_signature(f"http://testserver{url}", params)
    return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_a_volunteer_who_replies_stop_gets_no_more_sms_but_still_gets_emails(
    client, volunteer_by_sms, settings
):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    by_sms = shift_reminder(volunteer_by_sms)
    by_email = shift_reminder(volunteer_by_sms, key="shift:2", channel=Channel.EMAIL)
    response = post_signed(client, {"MessageSid": "SM9", "From": "+447911123456", "Body": "STOP"})
    assert response.status_code == 200
    volunteer_by_sms.refresh_from_db()
    assert volunteer_by_sms.sms_stopped_at is not None
    by_sms.refresh_from_db()
    by_email.refresh_from_db()
    assert (by_sms.status, by_email.status) == (S.CANCELLED, S.PENDING)
    inbound = InboundMessage.objects.get()
    assert list(inbound.users.all()) == [volunteer_by_sms]
    assert inbound.action == InboundMessage.Action.OPT_OUT
    confirmation = Message.objects.get(kind=Kind.OPT_OUT_CONFIRMATION)
    assert confirmation.user == volunteer_by_sms and confirmation.channel == Channel.SMS
    assert shift_reminder(volunteer_by_sms, key="shift:3") is None


def test_start_brings_a_volunteers_sms_back(client, volunteer_by_sms, settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    post_signed(client, {"MessageSid": "SM1", "From": "+447911123456", "Body": "STOP"})
    post_signed(client, {"MessageSid": "SM2", "From": "+447911123456", "Body": "START"})
    volunteer_by_sms.refresh_from_db()
    assert volunteer_by_sms.sms_stopped_at is None
    assert shift_reminder(volunteer_by_sms, key="shift:4") is not None


def test_the_provider_saying_unsubscribed_stops_a_volunteers_sms(
    volunteer_by_sms, twilio_settings, twilio_stub
):
    twilio_stub.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed")
    message = shift_reminder(volunteer_by_sms)
    claim_and_send()
    message.refresh_from_db()
    volunteer_by_sms.refresh_from_db()
    assert message.status == S.FAILED and volunteer_by_sms.sms_stopped_at is not None


def test_an_invitation_by_sms_carries_its_link_and_the_outbox_forgets_it_once_sent(
    coordinator, site, twilio_settings, twilio_stub
):
    invited = invitation_create(
        actor=coordinator,
        phone=phone_parse("+44 7911 123457"),
        role=Role.VOLUNTEER,
        sites=[site],
        base_url="https://fieldapp.example.org/",
    )
    message = Message.objects.get(kind=Kind.INVITATION)
    assert (message.user, message.channel) == (invited.invitation.user, Channel.SMS)
    assert message.context["link"] == invited.link
    claim_and_send()
    [sent] = twilio_stub.messages
    assert invited.link in sent.body and "STOP" in sent.body
    message.refresh_from_db()
    assert message.status == S.SENT
    assert invited.link not in message.body and REMOVED in message.body
    assert message.context["link"] == REMOVED


def test_an_invitation_by_email_goes_by_email_even_to_an_account_not_yet_in_use(coordinator, site):
    invited = invitation_create(
        actor=coordinator,
        email="amina@example.org",
        role=Role.VOLUNTEER,
        sites=[site],
        base_url="https://fieldapp.example.org/",
        language="fr",
    )
    assert not invited.invitation.user.is_active
    claim_and_send()
    [email] = mail.outbox
    assert email.to == ["amina@example.org"] and invited.link in email.body
    assert Message.objects.get(kind=Kind.INVITATION).to_email == "amina@example.org"
