from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.messaging.actions.dispatch import messages_claim_due
from services.messaging.actions.schedule import message_schedule
from services.messaging.quiet_hours import in_quiet_hours, quiet_hours_end
from services.messaging.sms_templates import Kind

from .helpers import CONTEXT, opted_in

PARIS = ZoneInfo("Europe/Paris")


def at(hour, minute=0, day=25):
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("hour", "quiet"), [(7, True), (8, False), (20, False), (21, True), (23, True), (0, True)]
)
def test_quiet_hours_are_21_to_8_local_time(hour, quiet):
    assert in_quiet_hours(at(hour)) is quiet


def test_the_window_opens_at_eight_the_same_or_next_morning():
    assert quiet_hours_end(at(22)) == at(8, day=26)
    assert quiet_hours_end(at(3)) == at(8)
    assert quiet_hours_end(at(12)) == at(12)


def test_quiet_hours_follow_the_settings(settings):
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = 22, 7
    assert not in_quiet_hours(at(21, 30)) and in_quiet_hours(at(6, 59))


def test_a_due_message_waits_through_quiet_hours(site):
    person = opted_in(site)
    message_schedule(
        key="a", kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT, send_at=at(20)
    )
    assert messages_claim_due(limit=10, now=at(22)) is None
    assert messages_claim_due(limit=10, now=at(8, 1, day=26)).message_ids


def test_volunteer_shift_reminders_may_ignore_quiet_hours(site):
    person = opted_in(site)
    message_schedule(
        key="shift:1",
        kind=Kind.SHIFT_REMINDER,
        person=person,
        context=CONTEXT,
        send_at=at(20),
        respect_quiet_hours=False,
    )
    assert messages_claim_due(limit=10, now=at(22)).message_ids
