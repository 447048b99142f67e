"""A volunteer sees when and where a person's next appointments are, and nothing else."""

import datetime

import pytest
from django.utils import timezone

from services.casework.selectors import person_upcoming_appointments
from services.referrals.models import Referral

from .conftest import NOTES

pytestmark = pytest.mark.django_db


def test_volunteers_get_time_and_place_only(volunteer, booked):
    person, referral = booked
    [upcoming] = person_upcoming_appointments(user=volunteer, person=person)
    assert upcoming.starts_at == referral.appointment_at
    assert upcoming.place == "Hôpital de Calais, entrée B"
    assert set(vars(upcoming)) == {"starts_at", "place"}


def test_the_person_page_shows_the_block_without_what_it_is_for(client, volunteer, booked):
    person, _referral = booked
    client.force_login(volunteer)
    page = client.get(person.get_absolute_url()).text
    assert "Coming appointments" in page
    assert "Hôpital de Calais, entrée B" in page
    for secret in (NOTES, "psychiatry", "Mental", "Consultation", "Urgent"):
        assert secret not in page


def test_past_and_cancelled_appointments_are_not_shown(volunteer, booked):
    person, referral = booked
    Referral.objects.filter(pk=referral.pk).update(
        appointment_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert person_upcoming_appointments(user=volunteer, person=person) == []


def test_nobody_signed_out_sees_anything(booked):
    from django.contrib.auth.models import AnonymousUser

    person, _referral = booked
    assert person_upcoming_appointments(user=AnonymousUser(), person=person) == []
