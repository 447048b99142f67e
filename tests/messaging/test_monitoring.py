"""The figures an operator watches: the outbox waiting, its oldest, the SMS failure rate."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from fieldapp.health import HEARTBEAT_CACHE_KEY, heartbeat_store
from services.accounts.models import Channel
from services.messaging.models import Message
from services.messaging.monitoring import outbox_figures
from services.messaging.sms_templates import Kind

from .helpers import opted_in

NOW = timezone.now()


def message(person, key: str, status: str, due_minutes_ago: float, channel: str = "") -> None:
    Message.objects.create(
        idempotency_key=key,
        kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
        person=person,
        language="ar",
        send_at=NOW - timedelta(minutes=due_minutes_ago),
        status=status,
        channel=channel,
    )


def test_the_outbox_figures_count_what_waits_and_what_failed(site):
    person = opted_in(site)
    S = Message.Status
    message(person, "due-long-ago", S.PENDING, 30)
    message(person, "claimed", S.CLAIMED, 2)
    message(person, "not-due-yet", S.PENDING, -60)
    message(person, "unknown", S.UNKNOWN, 10, Channel.SMS)
    for number, status in enumerate([S.SENT, S.DELIVERED, S.DELIVERED, S.FAILED]):
        message(person, f"recent-{number}", status, 60, Channel.SMS)
    message(person, "failed-last-week", S.FAILED, 7 * 24 * 60, Channel.SMS)
    assert outbox_figures(now=NOW) == {
        "waiting": 2,
        "oldest_waiting_seconds": 30 * 60,
        "unknown_outcome": 1,
        "sms_failed_rate_24h": 0.25,
    }


def test_an_empty_outbox_has_no_oldest_and_no_rate(db):
    figures = outbox_figures(now=NOW)
    assert figures["waiting"] == 0
    assert figures["oldest_waiting_seconds"] is None and figures["sms_failed_rate_24h"] is None


def test_the_health_command_prints_the_figures_to_monitor(site):
    message(opted_in(site), "due", Message.Status.PENDING, 5)
    out = StringIO()
    call_command("health", stdout=out)
    report = json.loads(out.getvalue())
    assert report["waiting"] == 1 and report["oldest_waiting_seconds"] >= 300
    assert isinstance(report["broker_queue_length"], int)
    assert 0 < report["disk_free_percent"] <= 100
    out = StringIO()
    call_command("health", metrics=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert "fieldapp_database 1" in lines and "fieldapp_waiting 1" in lines


def test_the_health_command_fails_when_no_worker_ran_lately(db):
    cache.delete(HEARTBEAT_CACHE_KEY)
    with pytest.raises(CommandError, match="No worker has run in the last 60 seconds"):
        call_command("health", max_heartbeat_age=60, stdout=StringIO())
    heartbeat_store()
    call_command("health", max_heartbeat_age=60, stdout=StringIO())
