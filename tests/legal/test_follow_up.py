"""A missed legal appointment is followed up: rebooked in one tap, or closed with a reason."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.legal.actions import appointment_set_status
from services.legal.follow_up import (
    appointment_no_show_close,
    appointment_no_show_rebook,
    no_shows_to_follow_up,
)
from services.legal.models import Appointment

from .conftest import choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def missed(booked, advisor):
    """The booked appointment, moved into the past and marked as missed."""
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=booked.starts_at - timedelta(days=8), ends_at=booked.ends_at - timedelta(days=8)
    )
    booked.refresh_from_db()
    return appointment_set_status(actor=advisor, appointment=booked, status="no_show")


def test_a_missed_appointment_waits_for_a_follow_up(missed, advisor):
    assert list(no_shows_to_follow_up(user=advisor)) == [missed]


def test_rebooking_makes_a_new_appointment_for_the_same_case_and_links_it(
    missed, advisor, interpreter, site, day
):
    new = appointment_no_show_rebook(
        actor=advisor, appointment=missed, slot=choice(day, 11, advisor, interpreter, site)
    )
    missed.refresh_from_db()
    assert (new.person, new.language, new.case_type) == (
        missed.person,
        missed.language,
        missed.case_type,
    )
    assert missed.follow_up == "rebooked" and missed.rebooked_as == new
    assert not no_shows_to_follow_up(user=advisor).exists()
    entry = AuditEntry.objects.get(action="legal.appointment.follow_up")
    assert entry.details == {"outcome": "rebooked", "rebooked_as": new.pk}


def test_closing_needs_a_reason_from_the_list_and_happens_once(missed, advisor):
    with pytest.raises(DomainError):
        appointment_no_show_close(actor=advisor, appointment=missed, reason="bored")
    appointment_no_show_close(actor=advisor, appointment=missed, reason="left")
    missed.refresh_from_db()
    assert (missed.follow_up, missed.follow_up_reason) == ("closed", "left")
    with pytest.raises(DomainError, match="already followed up"):
        appointment_no_show_close(actor=advisor, appointment=missed, reason="left")


def test_an_appointment_that_was_not_missed_is_not_followed_up(booked, advisor):
    with pytest.raises(DomainError, match="Only a missed appointment"):
        appointment_no_show_close(actor=advisor, appointment=booked, reason="left")


def test_the_database_refuses_a_follow_up_on_an_appointment_that_was_not_missed(booked):
    with pytest.raises(IntegrityError):
        Appointment.objects.filter(pk=booked.pk).update(follow_up="closed", follow_up_reason="left")


def test_the_follow_up_screen_rebooks_in_one_tap(client, missed, advisor, day):
    client.force_login(advisor)
    detail = client.get(missed.get_absolute_url()).text
    url = reverse("legal:follow_up", args=[missed.pk])
    assert url in detail
    offers = client.get(url).context["offers"]
    response = client.post(url, {"slot": offers[0].key})
    assert response.status_code == 302
    missed.refresh_from_db()
    assert missed.rebooked_as is not None


def test_the_follow_up_screen_closes_with_a_reason_or_says_what_is_missing(client, missed, advisor):
    client.force_login(advisor)
    url = reverse("legal:follow_up", args=[missed.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "unreachable"}).status_code == 302
    missed.refresh_from_db()
    assert missed.follow_up_reason == "unreachable"
    assert client.get(url).status_code == 302  # followed up: back to the appointment


def test_only_the_legal_role_follows_up(client, missed, coordinator, volunteer):
    url = reverse("legal:follow_up", args=[missed.pk])
    for user in (coordinator, volunteer):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "slot", ["garbage", "9999-12-31T09:00:00+01:00|1||", "2026-12-07T09:00:00|1||", "a|b|c|d"]
)
def test_a_slot_that_is_not_one_is_refused_in_words_and_nothing_is_booked(
    client, missed, advisor, slot
):
    client.force_login(advisor)
    response = client.post(reverse("legal:follow_up", args=[missed.pk]), {"slot": slot})
    assert response.status_code == 400 and "Choose one of the offered slots." in response.text
    missed.refresh_from_db()
    assert missed.follow_up == "" and Appointment.objects.count() == 1
