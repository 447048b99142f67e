"""A shift form sent twice with its one-time token acts once (fieldapp/submissions.py)."""

from datetime import timedelta

from django.urls import reverse

from services.shifts.actions.shifts import shift_create
from services.shifts.board import week_start
from services.shifts.models import HandoverNote, Shift
from tests.once import assert_sent_once, form_token

from .conftest import plan, volunteer_on


def test_a_shift_planned_twice_is_planned_once(client, coordinator, site, day):
    client.force_login(coordinator)
    data = {
        "site": site.pk,
        "task": "distribution",
        "day": day.isoformat(),
        "start_time": "14:15",
        "end_time": "16:45",
        "people_needed": "4",
    }
    assert_sent_once(client, reverse("shifts:create"), data, Shift.objects.count)


def test_a_week_copied_twice_is_copied_once_and_not_said_skipped(client, coordinator, site, day):
    """Copying skips days that have shifts; a repeat is answered as sent, not as skipped."""
    monday = week_start(day)
    shift_create(actor=coordinator, site=site, plan=plan(monday))
    client.force_login(coordinator)
    data = {
        "site": site.pk,
        "days": "7",
        "from_day": monday.isoformat(),
        "to_day": (monday + timedelta(days=7)).isoformat(),
        "submission": form_token(client, reverse("shifts:copy")),
    }
    first = client.post(reverse("shifts:copy"), data)
    again = client.post(reverse("shifts:copy"), data, follow=True)
    assert again.redirect_chain[0][0] == first["Location"] and Shift.objects.count() == 2
    page = again.content.decode()
    assert "This form was already sent." in page and "not copied" not in page


def test_a_handover_note_sent_twice_is_added_once(client, site, make_user):
    client.force_login(volunteer_on(make_user, "amina"))
    url = reverse("shifts:handover") + f"?site={site.pk}"
    data = {"kind": "stock", "text": "Few sleeping bags left", "card_code": ""}
    assert_sent_once(client, url, data, HandoverNote.objects.count)
