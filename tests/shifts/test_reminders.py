"""
A shift's messages through the real outbox: reminders the day before at 18:00 and 2 hours
before, the change and cancellation notices, the coordinators' late-withdrawal notice.
SMS through the real twilio client against tests/messaging/twilio_stub.py, e-mail
through Django's locmem mailer; each in the volunteer's own channel and language, with
quiet hours, STOP and no duplicates; nothing more for the withdrawn, the cancelled and
those who left.
"""

import zoneinfo
from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from services.accounts.actions.profile import user_sms_stop
from services.accounts.actions.stays import users_deactivate_departed
from services.messaging.actions import dispatch
from services.messaging.models import Message
from services.messaging.sms_templates import Kind, template_render
from services.scheduling.reminders import reminder_context
from services.shifts.actions.shifts import shift_cancel, shift_create, shift_update
from services.shifts.actions.signups import signup_create, signup_withdraw

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
S = Message.Status


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """Sending "now" works at any hour the tests run; the quiet-hours test sets them."""
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0


def send_due(now):
    """What the dispatcher sends at `now` (quiet hours as configured)."""
    claim = dispatch.messages_claim_due(limit=100, now=now)
    if claim is None:
        return 0
    return dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    ).accepted


@pytest.fixture
def yonas(make_user):
    """By SMS, in Arabic."""
    return volunteer_on(make_user, "yonas", phone="+447911123456", language="ar")


@pytest.fixture
def amina(make_user):
    """By e-mail, in English."""
    return volunteer_on(make_user, "amina", language="en")


def test_reminders_go_at_18_the_day_before_and_2_hours_before_by_sms_in_their_language(
    shift, yonas, twilio_settings, twilio_stub
):
    signup_create(actor=yonas, shift=shift)
    starts = timezone.localtime(shift.starts_at, PARIS)
    evening = datetime.combine(starts.date() - timedelta(days=1), time(18), PARIS)
    assert send_due(evening - timedelta(minutes=1)) == 0
    assert send_due(evening) == 1
    assert send_due(shift.starts_at - timedelta(hours=2, minutes=1)) == 0
    assert send_due(shift.starts_at - timedelta(hours=2)) == 1
    context = reminder_context(starts_at=shift.starts_at, place=shift.site.name)
    expected = template_render(Kind.SHIFT_REMINDER, "ar", context).text
    assert [sent.body for sent in twilio_stub.messages] == [expected, expected]
    assert {sent.to for sent in twilio_stub.messages} == {"+447911123456"}


def test_a_volunteer_who_chose_email_gets_the_reminders_by_email(shift, amina):
    signup_create(actor=amina, shift=shift)
    assert send_due(shift.starts_at - timedelta(hours=2)) == 2
    subjects = [email.subject for email in mail.outbox]
    day = timezone.localtime(shift.starts_at).strftime("%-d %B")  # the month in words
    assert subjects == [f"Your shift on Tue {day}"] * 2
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "14:15" in mail.outbox[0].body and shift.site.name in mail.outbox[0].body


def test_a_change_is_told_by_sms_and_the_old_times_reminders_do_not_go(
    shift, yonas, coordinator, day, twilio_settings, twilio_stub
):
    signup_create(actor=yonas, shift=shift)
    shift_update(
        actor=coordinator, shift=shift, plan=plan(day, start_time=time(10), end_time=time(12))
    )
    assert send_due(timezone.now()) == 1
    [notice] = twilio_stub.messages
    assert "10:00" in notice.body
    old_two_hours_before = shift.starts_at - timedelta(hours=2)  # 12:15 on the day
    shift.refresh_from_db()
    assert send_due(old_two_hours_before) == 2  # the new 08:00 and the day before
    assert len(twilio_stub.messages) == 3
    assert Message.objects.filter(status=S.PENDING).count() == 0


def test_a_cancellation_is_told_with_its_reason_and_the_reminders_do_not_go(
    shift, yonas, amina, coordinator, twilio_settings, twilio_stub
):
    signup_create(actor=yonas, shift=shift)
    signup_create(actor=amina, shift=shift)
    shift_cancel(actor=coordinator, shift=shift, reason="Eviction: site closed")
    assert send_due(timezone.now()) == 2
    [sms] = twilio_stub.messages
    assert "Eviction: site closed" in sms.body
    [email] = mail.outbox
    assert email.subject.startswith("Shift cancelled") and "Eviction: site closed" in email.body
    assert send_due(shift.starts_at) == 0


def test_a_volunteer_who_withdrew_gets_nothing_more(shift, yonas, twilio_settings, twilio_stub):
    signup_withdraw(actor=yonas, signup=signup_create(actor=yonas, shift=shift))
    assert send_due(shift.starts_at) == 0 and twilio_stub.messages == []


def test_a_volunteer_who_left_gets_nothing_more(shift, yonas, day, twilio_settings, twilio_stub):
    signup_create(actor=yonas, shift=shift)
    yonas.leaves_on = timezone.localdate()
    yonas.save()
    users_deactivate_departed(today=timezone.localdate() + timedelta(days=1))
    assert send_due(shift.starts_at) == 0 and twilio_stub.messages == []


def test_a_volunteer_who_replied_stop_gets_no_sms_reminder(
    shift, yonas, twilio_settings, twilio_stub
):
    user_sms_stop(user=yonas, reason="STOP")
    signup_create(actor=yonas, shift=shift)
    assert not Message.objects.filter(user=yonas).exists()
    assert send_due(shift.starts_at) == 0 and twilio_stub.messages == []


def test_an_early_shifts_reminder_waits_for_the_end_of_quiet_hours(
    coordinator, site, day, yonas, settings, twilio_settings, twilio_stub
):
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = 21, 8
    early = shift_create(
        actor=coordinator, site=site, plan=plan(day, start_time=time(9), end_time=time(12))
    )
    signup_create(actor=yonas, shift=early)
    seven = datetime.combine(day, time(7, 0), PARIS)  # 2 hours before
    assert send_due(seven) == 0
    assert send_due(datetime.combine(day, time(8, 0), PARIS)) == 2  # with the day before's
    assert len(twilio_stub.messages) == 2


def test_nothing_is_sent_twice(shift, yonas, twilio_settings, twilio_stub):
    signup = signup_create(actor=yonas, shift=shift)
    signup_withdraw(actor=yonas, signup=signup)
    signup_create(actor=yonas, shift=shift)
    claim = dispatch.messages_claim_due(limit=100, now=shift.starts_at)
    for _ in range(2):  # the task delivered twice
        dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))
    assert len(twilio_stub.messages) == 2


def test_a_late_withdrawal_reaches_the_sites_coordinator_by_email(shift, yonas, coordinator):
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    signup = signup_create(actor=yonas, shift=shift)
    late = shift.starts_at - timedelta(hours=4)
    with mock.patch("django.utils.timezone.now", return_value=late):
        signup_withdraw(actor=yonas, signup=signup)
        assert send_due(late) == 1
    [email] = mail.outbox
    assert email.to == ["coordinator@example.org"]
    assert email.subject.startswith("A shift is short") and "yonas" in email.body
