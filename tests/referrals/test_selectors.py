from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from services.referrals.actions import workflow
from services.referrals.selectors import referral_counts, referrals_upcoming_for_person

from .conftest import NOTES, in_days


def test_upcoming_for_a_person_gives_time_and_place_only(booked, make_referral, medical, person):
    later = make_referral()
    workflow.referral_book(actor=medical, referral=later, starts_at=in_days(6), place="Hall C")
    closed = make_referral()
    workflow.referral_close(actor=medical, referral=closed)
    assert referrals_upcoming_for_person(person) == [
        (booked.appointment_at, "Rue Leveux 11"),
        (in_days(6), "Hall C"),
    ]


def test_a_past_appointment_is_not_upcoming(booked, person):
    type(booked).objects.filter(pk=booked.pk).update(
        appointment_at=timezone.now() - timedelta(hours=1)
    )
    assert referrals_upcoming_for_person(person) == []


def test_counts_per_status_and_open_urgency(booked, make_referral, coordinator, volunteer):
    make_referral(urgency="emergency")
    counts = referral_counts(user=coordinator)
    assert dict((s, n) for s, _label, n in counts.by_status)["booked"] == 1
    assert dict((u, n) for u, _label, n in counts.by_urgency) == {
        "emergency": 1,
        "urgent": 1,
        "routine": 0,
    }
    assert counts.open_total == 2
    assert referral_counts(user=volunteer).open_total == 0


def test_the_medical_home_lists_upcoming_and_open_referrals(client, medical, booked):
    client.force_login(medical)
    page = client.get(reverse("referrals:home")).content.decode()
    assert booked.person.code in page and "Rue Leveux 11" in page
    assert NOTES not in page
