"""Two advisors' phones book the same slot at the same moment: the database decides, once."""

import pytest

from fieldapp.errors import Conflict
from services.legal.actions import appointment_book
from services.legal.models import Appointment
from services.scheduling.models import SlotHold
from tests.distributions.test_concurrency import race
from tests.factories import PersonFactory

from .conftest import choice

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_bookings_of_one_slot_at_once_exactly_one_succeeds(advisor, interpreter, site, day):
    turn = iter([PersonFactory(home_site=site), PersonFactory(home_site=site)])

    results = race(
        lambda: appointment_book(
            actor=advisor,
            person=next(turn),
            language="ar",
            slot=choice(day, 10, advisor, interpreter, site),
            case_type=Appointment.CaseType.OTHER,
        )
    )
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict) and refused[0].status_code == 409
    assert Appointment.objects.count() == 1 and SlotHold.objects.count() == 4
