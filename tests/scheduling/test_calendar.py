"""
The iCal feed carries the events of every app that registers a calendar source, and
only the feed owner's own; scheduling itself knows none of those apps.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from services.accounts.models import User
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.scheduling import calendar
from services.scheduling.actions import calendar_feed_renew
from services.scheduling.calendar import CalendarEvent, calendar_events, calendar_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def shifts_source():
    """A stand-in for the shifts app's source while the test runs; its own comes back after."""
    seen = []
    registered = calendar._SOURCES.get("shifts")

    def source(*, user, start, end, view):
        seen.append((user, view))
        at = timezone.now() + timedelta(days=1)
        return [
            CalendarEvent(
                uid=f"shift-{user.pk}@fieldapp",
                starts_at=at,
                ends_at=at + timedelta(hours=3),
                summary="Shift: distribution",
                location="Hall",
            )
        ]

    calendar.calendar_source_register("shifts", source)
    yield seen
    if registered is None:
        del calendar._SOURCES["shifts"]
    else:
        calendar.calendar_source_register("shifts", registered)


def test_legal_and_referrals_register_their_sources():
    assert {"legal", "referrals"} <= set(calendar_sources())


def test_a_new_apps_events_reach_the_feed_without_scheduling_knowing_it(
    client, make_user, shifts_source
):
    volunteer = make_user(Role.VOLUNTEER, "vol")
    feed = calendar_feed_renew(actor=volunteer)
    response = client.get(reverse("legal:feed", args=[feed.token]))
    assert response.status_code == 200
    uids = [str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert uids == [f"shift-{volunteer.pk}@fieldapp"]
    assert shifts_source == [(volunteer, "ical")]


def test_a_screen_can_leave_its_own_apps_events_out(make_user, shifts_source):
    volunteer = make_user(Role.VOLUNTEER, "vol")
    start = timezone.now()
    assert [e.uid for e in calendar_events(user=volunteer, start=start, view="home")] == [
        f"shift-{volunteer.pk}@fieldapp"
    ]
    assert calendar_events(user=volunteer, start=start, view="home", exclude=("shifts",)) == []


def test_the_feed_of_someone_with_no_role_reads_nothing(client, make_user, shifts_source):
    volunteer = make_user(Role.VOLUNTEER, "vol")
    feed = calendar_feed_renew(actor=volunteer)
    volunteer.groups.clear()
    assert client.get(reverse("legal:feed", args=[feed.token])).status_code == 404
    assert shifts_source == []


def test_renewing_the_feed_is_audited_and_needs_a_role(make_user):
    volunteer = make_user(Role.VOLUNTEER, "vol")
    feed = calendar_feed_renew(actor=volunteer)
    assert AuditEntry.objects.filter(
        action="calendar_feed.renew", actor=volunteer, target_id=str(feed.pk)
    ).exists()
    volunteer.groups.clear()
    with pytest.raises(PermissionDenied):  # on their next request, read afresh
        calendar_feed_renew(actor=User.objects.get(pk=volunteer.pk))
