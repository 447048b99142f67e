"""Appointment reminders through the real outbox: scheduled, moved, cancelled, sent."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from services.messaging.actions import dispatch
from services.messaging.backends import locmem
from services.messaging.models import Message
from services.messaging.sms_templates import Kind, sms_date
from services.referrals.actions import workflow
from services.referrals.models import ReasonCategory, Referral

from .conftest import NOTES, in_days

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _reminders(referral, **filters):
    """The referral's reminders by which one they are ("24h", "2h")."""
    messages = Message.objects.filter(
        idempotency_key__startswith=f"referral:{referral.pk}:", **filters
    )
    return {
        message.idempotency_key.split("reminder-")[1].split("@")[0]: message for message in messages
    }


def test_booking_schedules_two_reminders_18h_the_day_before_and_2h_before(booked):
    reminders = _reminders(booked)
    assert set(reminders) == {"24h", "2h"}
    starts = timezone.localtime(booked.appointment_at, PARIS)
    day_before = reminders["24h"]
    assert day_before.idempotency_key.startswith(f"referral:{booked.pk}:reminder-24h@")
    assert timezone.localtime(day_before.send_at, PARIS) == datetime.combine(
        starts.date() - timedelta(days=1), datetime.min.time().replace(hour=18), PARIS
    )
    assert reminders["2h"].send_at == booked.appointment_at - timedelta(hours=2)
    for message in reminders.values():
        assert (message.kind, message.person, message.language) == (
            Kind.REFERRAL_REMINDER,
            booked.person,
            "ar",
        )
        assert message.status == Message.Status.PENDING
        assert message.context["place"] == "Rue Leveux 11"


def test_rescheduling_cancels_the_old_times_reminders_and_schedules_the_new_ones(booked, medical):
    before = _reminders(booked)
    moved = workflow.referral_book(actor=medical, referral=booked, starts_at=in_days(5, hour=15))
    after = _reminders(moved, status=Message.Status.PENDING)
    assert after["2h"].send_at == in_days(5, hour=15) - timedelta(hours=2)
    assert after["2h"].context["time"] == f"{timezone.localtime(moved.appointment_at):%H:%M}"
    for old in before.values():
        old.refresh_from_db()
        assert old.status == Message.Status.CANCELLED
    assert Message.objects.count() == 4


def test_booking_again_for_the_same_time_keeps_the_same_two_messages(booked, medical):
    before = {which: message.pk for which, message in _reminders(booked).items()}
    again = workflow.referral_book(actor=medical, referral=booked, starts_at=booked.appointment_at)
    assert {which: m.pk for which, m in _reminders(again).items()} == before
    assert {m.status for m in _reminders(again).values()} == {Message.Status.PENDING}


def test_a_reminder_already_sent_is_not_repeated_but_the_new_time_gets_its_own(booked, medical):
    sent = _reminders(booked)["24h"]
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.SENT)
    moved = workflow.referral_book(actor=medical, referral=booked, starts_at=in_days(6, hour=10))
    pending = _reminders(moved, status=Message.Status.PENDING)
    assert set(pending) == {"24h", "2h"}
    assert pending["24h"].pk != sent.pk
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT


def test_a_reminder_already_past_is_skipped(referral, medical):
    soon = timezone.now() + timedelta(hours=3)
    booked = workflow.referral_book(actor=medical, referral=referral, starts_at=soon)
    reminders = _reminders(booked)
    assert set(reminders) == {"2h"}


def test_moving_closer_cancels_the_day_before_reminder_that_is_now_past(booked, medical):
    # In 5 hours: 18:00 the day before is already past, whatever the time now.
    moved = workflow.referral_book(
        actor=medical, referral=booked, starts_at=timezone.now() + timedelta(hours=5)
    )
    pending = _reminders(moved, status=Message.Status.PENDING)
    assert set(pending) == {"2h"}
    assert {m.status for m in _reminders(booked).values()} >= {Message.Status.CANCELLED}


@pytest.mark.parametrize("step", ["attended", "missed", "declined", "closed"])
def test_leaving_booked_cancels_the_pending_reminders(step, booked, medical):
    if step == "attended":
        workflow.referral_attended(actor=medical, referral=booked)
    elif step == "missed":
        Referral.objects.filter(pk=booked.pk).update(
            appointment_at=timezone.now() - timedelta(minutes=1)
        )
        booked.refresh_from_db()
        workflow.referral_missed(actor=medical, referral=booked, reason="away")
    elif step == "declined":
        workflow.referral_decline(actor=medical, referral=booked, reason="clinic full")
    else:
        workflow.referral_close(actor=medical, referral=booked, reason="cancelled")
    statuses = {m.status for m in _reminders(booked).values()}
    assert statuses == {Message.Status.CANCELLED}


def test_a_person_without_sms_consent_gets_no_reminder(make_referral, person, medical):
    person.sms_consent = False
    person.save()
    referral = make_referral()
    workflow.referral_book(actor=medical, referral=referral, starts_at=in_days(2))
    assert not Message.objects.exists()


@pytest.fixture
def locmem_backend(settings):
    settings.SMS_BACKEND = "locmem"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


SENSITIVE = [
    "dental",
    "Dental",
    "PASS",
    "clinic",
    "fracture",
    "wrist",
    "diabetic",
    "clinic full",
    *[str(label) for label in ReasonCategory.labels],
]


def test_the_sent_reminder_is_in_the_persons_language_and_says_nothing_sensitive(
    booked, medical, locmem_backend
):
    workflow.referral_book(actor=medical, referral=booked, starts_at=in_days(3, hour=16))
    due = _reminders(booked)["24h"].send_at
    claim = dispatch.messages_claim_due(limit=10, now=due)
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=claim.token)
    assert len(locmem_backend) == 1
    body = locmem_backend[0].body
    message = Message.objects.get(
        idempotency_key__startswith=f"referral:{booked.pk}:reminder-24h@",
        status=Message.Status.SENT,
    )
    assert message.status == Message.Status.SENT
    assert message.rendered_language == "ar"
    assert any("\u0600" <= ch <= "\u06ff" for ch in body), body
    assert "Rue Leveux 11" in body
    local = timezone.localtime(booked.appointment_at, PARIS)
    assert sms_date(message.context["date"], "ar") in body and message.context["time"] in body
    assert message.context["date"] == local.date().isoformat()
    for word in [*SENSITIVE, NOTES]:
        assert word.lower() not in body.lower()
