"""
A volunteer answers a shift reminder by SMS, through the real twilio client against the
local stub and the signed inbound webhook: 1 is recorded, 2 withdraws them as their own
tap would (the place opens, coordinators hear of a late withdrawal).
"""

from datetime import time

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from services.messaging.actions import dispatch
from services.messaging.models import InboundMessage, Message
from services.messaging.sms_templates import Kind
from services.shifts.actions.shifts import shift_cancel, shift_update
from services.shifts.actions.signups import signup_create
from services.shifts.models import Shift, SignUp
from tests.messaging.test_replies import INBOUND, post_signed

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db
PHONE = "+447911123456"


@pytest.fixture(autouse=True)
def sms_settings(settings, twilio_settings, twilio_stub):
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0


@pytest.fixture
def signup(shift, make_user):
    yonas = volunteer_on(make_user, "yonas", phone=PHONE, language="ti", site=shift.site)
    return signup_create(actor=yonas, shift=shift)


def send_reminder(signup):
    reminder = Message.objects.filter(
        kind=Kind.SHIFT_REMINDER, user=signup.user, status=Message.Status.PENDING
    ).first()
    Message.objects.filter(pk=reminder.pk).update(send_at=timezone.now())
    claim = dispatch.messages_claim_due(limit=10)
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))
    return reminder


def reply(client, body, sid="SMreply1"):
    params = {"MessageSid": sid, "From": PHONE, "Body": body}
    post_signed(client, INBOUND, params, token=django_settings.TWILIO_AUTH_TOKEN)
    return InboundMessage.objects.get(provider_message_id=sid)


@pytest.mark.parametrize("body", ["1", "እወ", "yes"])
def test_replying_1_confirms_the_volunteer_will_come(client, signup, body):
    send_reminder(signup)
    inbound = reply(client, body)
    signup.refresh_from_db()
    assert inbound.action == InboundMessage.Action.CONFIRMED
    assert signup.confirmed_at is not None and signup.withdrawn_at is None


@pytest.mark.parametrize("body", ["2", "ኣይፋል", "no"])
def test_replying_2_withdraws_and_frees_the_place(client, signup, body):
    send_reminder(signup)
    taken = Shift.objects.get(pk=signup.shift_id).signed_up
    inbound = reply(client, body)
    signup.refresh_from_db()
    assert inbound.action == InboundMessage.Action.CANCELLED
    assert signup.withdrawn_at is not None
    assert Shift.objects.get(pk=signup.shift_id).signed_up == taken - 1
    assert not Message.objects.filter(
        user=signup.user, kind=Kind.SHIFT_REMINDER, status=Message.Status.PENDING
    ).exists()


def test_an_answer_about_a_shift_since_moved_changes_nothing(client, signup, coordinator, day):
    send_reminder(signup)
    moved = plan(day, start_time=time(10), end_time=time(12), skills={"driver": 1})
    shift_update(actor=coordinator, shift=signup.shift, plan=moved)
    inbound = reply(client, "2")
    assert inbound.action == "" and SignUp.objects.get(pk=signup.pk).withdrawn_at is None


def test_an_answer_about_a_cancelled_shift_changes_nothing(client, signup, coordinator):
    send_reminder(signup)
    shift_cancel(actor=coordinator, shift=signup.shift, reason="storm")
    inbound = reply(client, "1")
    assert inbound.action == "" and SignUp.objects.get(pk=signup.pk).confirmed_at is None


def test_a_second_2_after_withdrawing_changes_nothing(client, signup):
    send_reminder(signup)
    reply(client, "2", sid="SM1")
    assert reply(client, "2", sid="SM2").action == ""


def test_a_reply_with_no_reminder_sent_does_nothing(client, signup):
    inbound = reply(client, "1")
    assert inbound.action == "" and SignUp.objects.get(pk=signup.pk).confirmed_at is None
