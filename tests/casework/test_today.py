"""Each role's home page holds its day's work: what is on today and what waits for it."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.casework.today import day_work
from services.distributions.models import DistributionSession
from services.legal.models import Appointment
from services.scheduling.models import Booking
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _appointment(person, advisor, starts_at, status=Appointment.Status.BOOKED):
    return Appointment.objects.create(
        person=person,
        advisor=advisor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        site=person.home_site,
        language="ar",
        case_type="dublin",
        status=status,
        booking=Booking.objects.create(),
    )


def _lines(user):
    return [line.label for line in day_work(user=user)]


def test_the_legal_role_sees_today_and_the_missed_appointments_to_follow_up(legal, site):
    person = PersonFactory(home_site=site)
    now = timezone.localtime()
    today_noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    _appointment(person, legal, today_noon)
    _appointment(person, legal, now - timedelta(days=2), Appointment.Status.NO_SHOW)
    assert _lines(legal) == [
        "1 legal appointment today",
        "1 missed appointment to follow up",
    ]
    missed = day_work(user=legal)[1]
    assert missed.waiting and missed.url.endswith("#follow-up")


def test_the_medical_role_sees_referrals_waiting_appointments_today_and_follow_ups(medical):
    assert _lines(medical) == [
        "0 referrals waiting for a booking",
        "0 medical appointments today",
        "0 follow-ups due",
    ]


def test_a_coordinator_sees_statuses_and_distributions_a_volunteer_distributions(
    coordinator, volunteer, site
):
    DistributionSession.objects.create(
        site=site,
        date=timezone.localdate(),
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
    )
    assert _lines(coordinator) == [
        "0 legal appointments today",
        "0 medical referrals waiting for a booking",
        "1 distribution today",
    ]
    assert _lines(volunteer) == ["1 distribution today"]


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "medical", "legal"])
def test_the_home_page_shows_the_day_of_each_role(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert 'id="work-title"' in page.text
    for line in day_work(user=user):
        assert line.label in page.text and f'href="{line.url}' in page.text


def test_the_legal_home_lists_the_missed_appointments_with_a_link_to_follow_up(client, legal, site):
    person = PersonFactory(home_site=site)
    missed = _appointment(
        person, legal, timezone.now() - timedelta(days=1), Appointment.Status.NO_SHOW
    )
    client.force_login(legal)
    page = client.get(reverse("legal:home")).text
    assert reverse("legal:follow_up", args=[missed.pk]) in page
