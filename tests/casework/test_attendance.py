"""A person's page shows their attendance history, as much as the reader may know."""

import datetime
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.audit.models import AuditEntry
from services.distributions.models import CheckIn, DistributionSession
from services.legal.models import Appointment
from services.scheduling.models import Booking
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(site, legal):
    person = PersonFactory(home_site=site)
    session = DistributionSession.objects.create(
        site=site,
        date=timezone.localdate() - timedelta(days=2),
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
    )
    CheckIn.objects.create(
        client_uuid=uuid.uuid4(), payload_hash="x", session=session, person=person
    )
    missed = timezone.now() - timedelta(days=1)
    Appointment.objects.create(
        person=person,
        advisor=legal,
        starts_at=missed,
        ends_at=missed + timedelta(hours=1),
        language="ar",
        case_type="dublin",
        status=Appointment.Status.NO_SHOW,
        booking=Booking.objects.create(),
    )
    return person


def _attendance(client, user, person):
    client.force_login(user)
    page = client.get(reverse("people:detail", args=[person.code]))
    return page.text.split('id="attendance-title"')[1].split("</section>")[0]


def test_a_coordinator_sees_the_distribution_and_the_missed_legal_advice(
    client, coordinator, person, site
):
    shown = _attendance(client, coordinator, person)
    assert f"Distribution at {site.name}" in shown and "came" in shown
    assert "Legal advice" in shown and "did not come" in shown
    assert shown.index("Legal advice") < shown.index("Distribution")  # newest first
    assert AuditEntry.objects.filter(
        action="person.attendance.read", actor=coordinator, target_id=str(person.pk)
    ).exists()


def test_a_volunteer_sees_an_appointment_missed_but_not_its_kind(client, volunteer, person):
    shown = _attendance(client, volunteer, person)
    assert "Appointment" in shown and "did not come" in shown
    assert "Legal advice" not in shown


def test_nothing_yet_says_so(client, volunteer, site):
    assert "Nothing recorded yet." in _attendance(client, volunteer, PersonFactory(home_site=site))
