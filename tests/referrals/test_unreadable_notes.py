"""A note that the current key cannot open is shown as such, on its row alone: never a 500."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone

from services.referrals.models import FollowUpTask, Referral, ReferralEvent

from .conftest import NOTES

UNREADABLE = "This note cannot be read with the current key."


def written_under_another_key(settings, *querysets_and_values):
    """Each (queryset, {field: text}) written with a key that FIELD_ENCRYPTION_KEY lacks."""
    current = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    for queryset, values in querysets_and_values:
        queryset.update(**values)
    settings.FIELD_ENCRYPTION_KEY = current


@pytest.fixture
def lost(client, medical, booked, settings):
    """A referral missed, followed up, and all its notes written under a lost key."""
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    client.force_login(medical)
    client.post(reverse("referrals:step_missed", args=[booked.pk]), {"reason": "not there"})
    task = booked.follow_ups.get()
    client.post(reverse("referrals:followup_done", args=[task.pk]), {"note": "seen at camp"})
    written_under_another_key(
        settings,
        (Referral.objects.filter(pk=booked.pk), {"clinical_notes": "lost"}),
        (ReferralEvent.objects.filter(referral=booked).exclude(reason=""), {"reason": "lost"}),
        (FollowUpTask.objects.filter(referral=booked), {"note": "lost"}),
    )
    return booked


def test_pages_show_the_unreadable_note_as_such_and_the_other_referrals_as_usual(
    client, lost, make_referral
):
    readable = make_referral()
    for page in ("referrals:home", "referrals:overview", "referrals:followups"):
        assert client.get(reverse(page)).status_code == 200, page
    shown = client.get(reverse("referrals:detail", args=[lost.pk])).content.decode()
    assert shown.count(UNREADABLE) == 2  # the clinical notes and the reason it was missed
    assert NOTES in client.get(reverse("referrals:detail", args=[readable.pk])).content.decode()
    task = lost.follow_ups.get()
    done = client.get(reverse("referrals:followup_done", args=[task.pk]))
    assert UNREADABLE in done.content.decode()


def test_the_api_lists_every_referral_and_marks_the_unreadable_note(
    api_as, medical, lost, make_referral
):
    readable = make_referral()
    api = api_as(medical)
    listed = api.get("/api/v1/referrals/")
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {lost.pk, readable.pk}
    detail = api.get(f"/api/v1/referrals/{lost.pk}/").json()
    assert detail["clinical_notes"] == UNREADABLE
    assert UNREADABLE in [event["reason"] for event in detail["events"]]
    assert api.get(f"/api/v1/referrals/{readable.pk}/").json()["clinical_notes"] == NOTES
    follow_ups = api.get("/api/v1/follow-ups/")
    assert follow_ups.status_code == 200, follow_ups.content


def test_a_change_to_the_referral_keeps_the_unreadable_note_as_it_was_stored(lost):
    referral = Referral.objects.get(pk=lost.pk)
    stored = referral.clinical_notes.token
    referral.appointment_place = "Hôpital, entrée C"
    referral.save()
    assert Referral.objects.get(pk=lost.pk).clinical_notes.token == stored
