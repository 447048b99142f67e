"""A legal note that the current key cannot open is shown as such, on its row alone."""

import pytest
from django.urls import reverse

from services.legal.actions import appointment_book
from services.legal.models import Appointment
from tests.referrals.test_unreadable_notes import UNREADABLE, written_under_another_key

from .conftest import choice

API = "/api/v1/legal/appointments/"
READABLE_NOTES = "Family in Birmingham."


@pytest.fixture
def lost(booked, settings):
    written_under_another_key(
        settings,
        (Appointment.objects.filter(pk=booked.pk), {"notes": "lost", "outcome_notes": "lost"}),
    )
    return booked


@pytest.fixture
def readable(advisor, interpreter, person, site, day):
    return appointment_book(
        actor=advisor,
        person=person,
        language="ar",
        slot=choice(day, 11, advisor, interpreter, site),
        case_type=Appointment.CaseType.DUBLIN,
        notes=READABLE_NOTES,
    )


def test_pages_show_the_unreadable_notes_as_such_and_the_other_appointments_as_usual(
    client, advisor, lost, readable, day
):
    client.force_login(advisor)
    for page in ("legal:home", "legal:calendar"):
        assert client.get(reverse(page), {"day": day.isoformat()}).status_code == 200, page
    shown = client.get(reverse("legal:detail", args=[lost.pk])).content.decode()
    assert shown.count(UNREADABLE) == 2
    assert (
        READABLE_NOTES in client.get(reverse("legal:detail", args=[readable.pk])).content.decode()
    )


def test_the_api_lists_every_appointment_and_marks_the_unreadable_notes(
    api_as, advisor, lost, readable
):
    api = api_as(advisor)
    listed = api.get(API)
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {lost.pk, readable.pk}
    detail = api.get(f"{API}{lost.pk}/").json()
    assert (detail["notes"], detail["outcome_notes"]) == (UNREADABLE, UNREADABLE)
    assert api.get(f"{API}{readable.pk}/").json()["notes"] == READABLE_NOTES


def test_saving_the_outcome_keeps_the_unreadable_notes_shown_in_the_form(client, advisor, lost):
    stored = Appointment.objects.get(pk=lost.pk).notes.token
    client.force_login(advisor)
    client.post(
        reverse("legal:notes", args=[lost.pk]),
        {"notes": UNREADABLE, "outcome_notes": "Advised to claim in France."},
    )
    saved = Appointment.objects.get(pk=lost.pk)
    assert saved.notes.token == stored
    assert saved.outcome_notes == "Advised to claim in France."
