"""The SMS log says what holds a waiting message, and offers "Being sent" once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from services.audit.models import AuditEntry
from services.messaging.models import Message
from services.messaging.quiet_hours import held_until
from services.messaging.sms_templates import Kind

from .helpers import opted_in

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def at(hour, day=25):
    return datetime(2026, 11, day, hour, tzinfo=PARIS)


def _message(person, key, status, send_at, quiet=True):
    return Message.objects.create(
        idempotency_key=key,
        kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
        person=person,
        language="ar",
        send_at=send_at,
        status=status,
        respect_quiet_hours=quiet,
    )


def test_quiet_hours_hold_a_message_due_at_night_until_eight():
    assert held_until(send_at=at(22), respect_quiet_hours=True, now=at(20)) == at(8, day=26)
    assert held_until(send_at=at(6), respect_quiet_hours=True, now=at(6)) == at(8)


def test_nothing_holds_a_message_due_in_the_day_or_sent_at_any_hour():
    assert held_until(send_at=at(12), respect_quiet_hours=True, now=at(9)) is None
    assert held_until(send_at=at(23), respect_quiet_hours=False, now=at(23)) is None


def test_the_log_says_that_quiet_hours_hold_a_waiting_message_until_eight(
    client, coordinator, site, monkeypatch
):
    person = opted_in(site)
    _message(person, "night", Message.Status.PENDING, at(22))
    _message(person, "day", Message.Status.PENDING, at(12, day=26))
    client.force_login(coordinator)
    monkeypatch.setattr("services.messaging.models.timezone.now", lambda: at(22))
    text = client.get(reverse("messaging:list")).text
    assert text.count("Held by quiet hours") == 1
    assert "it goes at 26-11-2026 08:00" in text and "21:00 to 08:00" in text


def test_being_sent_is_offered_once_and_finds_claimed_and_sending_messages(
    client, coordinator, site
):
    person = opted_in(site)
    claimed = _message(person, "c", Message.Status.CLAIMED, at(12))
    sending = _message(person, "s", Message.Status.SENDING, at(12))
    _message(person, "x", Message.Status.SENT, at(12))
    client.force_login(coordinator)
    page = client.get(reverse("messaging:list"))
    assert page.text.count(">Being sent</option>") == 1
    being_sent = client.get(reverse("messaging:list"), {"status": "sending"})
    assert set(being_sent.context["page"].object_list) == {claimed, sending}


def test_each_message_shown_in_the_log_is_a_read_in_the_audit_log(client, coordinator, site):
    person = opted_in(site)
    message = _message(person, "k", Message.Status.SENT, at(12))
    client.force_login(coordinator)
    client.get(reverse("messaging:list"))
    entry = AuditEntry.objects.get(action="messaging.message.read")
    assert entry.actor == coordinator and entry.target_id == str(message.pk)
