"""
Two apps book one person's half hour at the same moment (a legal appointment and a
medical referral's interpreter, or a shift): the unique (user, cell) constraint on the
one holds table decides, once. Run on PostgreSQL (DATABASE_URL) for a real race.
"""

from datetime import timedelta

import pytest

from services.accounts.roles import Role
from services.scheduling.actions import SlotTaken, booking_create, booking_hold
from services.scheduling.models import SlotHold
from tests.distributions.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_bookings_of_one_persons_cell_at_once_exactly_one_holds_it(make_user, ten):
    interpreter = make_user(Role.VOLUNTEER, "amira")
    bookings = iter([booking_create(), booking_create()])

    def take():
        booking = next(bookings)
        booking_hold(
            booking=booking,
            users=[interpreter.pk],
            starts_at=ten,
            ends_at=ten + timedelta(hours=1),
        )
        return booking

    results = race(take)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], SlotTaken), results
    assert SlotHold.objects.filter(user=interpreter).count() == 2
    assert SlotHold.objects.values("booking_id").distinct().count() == 1
