"""
A legal volunteer's lists (home, calendar, API) show the appointments at the sites they
work at, those by phone, and their own; coordinators see every site's.
"""

from datetime import time

import pytest
from django.urls import reverse

from services.accounts.actions import user_create
from services.accounts.roles import Role
from services.legal.actions import appointment_book
from services.legal.models import Appointment
from tests.factories import PersonFactory, SiteFactory

from .conftest import choice, speaks, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(day):
    """An appointment at another site, with that site's own advisor."""
    dunkirk = SiteFactory(name="Dunkirk")
    advisor = speaks(
        user_create(
            username="dunkirk-advisor",
            password="a-long-test-password-1",
            role=Role.LEGAL,
            site=dunkirk,
        ),
        "ar",
    )
    weekly(advisor, "advisor", day, site=dunkirk)
    return appointment_book(
        actor=advisor,
        person=PersonFactory(home_site=dunkirk),
        language="ar",
        slot=choice(day, 9, advisor, site=dunkirk),
        case_type=Appointment.CaseType.OTHER,
    )


@pytest.fixture
def by_phone(advisor, day):
    """An appointment by phone, with this site's advisor."""
    weekly(advisor, "advisor", day, start=time(14), end=time(16))
    return appointment_book(
        actor=advisor,
        person=PersonFactory(language="fr"),
        language="fr",
        slot=choice(day, 14, advisor),
        case_type=Appointment.CaseType.OTHER,
    )


def test_the_calendar_keeps_to_ones_sites_and_the_phone(
    client, advisor, booked, by_phone, elsewhere, day
):
    client.force_login(advisor)
    page = client.get(reverse("legal:calendar"), {"date": day.isoformat()}).content.decode()
    assert booked.person.code in page and by_phone.person.code in page
    assert elsewhere.person.code not in page


def test_the_api_list_keeps_to_ones_sites_and_coordinators_see_all(
    api_as, advisor, make_user, booked, by_phone, elsewhere
):
    mine = {
        row["id"] for row in api_as(advisor).get("/api/v1/legal/appointments/").json()["results"]
    }
    assert mine == {booked.pk, by_phone.pk}
    coordinator = make_user(Role.COORDINATOR)
    every = api_as(coordinator).get("/api/v1/legal/appointments/").json()["results"]
    assert {row["id"] for row in every} == {booked.pk, by_phone.pk, elsewhere.pk}


def test_an_appointment_elsewhere_can_still_be_opened_by_the_legal_role(client, advisor, elsewhere):
    """Scoping narrows lists; the legal role may still read any appointment it is sent to."""
    client.force_login(advisor)
    assert client.get(reverse("legal:detail", args=[elsewhere.pk])).status_code == 200
