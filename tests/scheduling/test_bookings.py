"""
A booking holds people's time in 30-minute cells: taken whole or not at all, freed
whole, and never the same person's cell twice, whichever booking asks.
"""

from datetime import timedelta

import pytest

from fieldapp.errors import Conflict
from services.accounts.roles import Role
from services.scheduling.actions import (
    SlotTaken,
    booking_create,
    booking_hold,
    booking_release,
)
from services.scheduling.grid import cells
from services.scheduling.models import Booking, SlotHold

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def test_a_booking_holds_every_cell_for_every_person(make_user, ten):
    advisor, interpreter = make_user(Role.LEGAL, "adv"), make_user(Role.VOLUNTEER, "int")
    booking = booking_create()
    booking_hold(
        booking=booking, users=[advisor.pk, interpreter.pk], starts_at=ten, ends_at=ten + HOUR
    )
    assert set(booking.holds.values_list("user_id", "starts_at")) == {
        (user.pk, cell) for user in (advisor, interpreter) for cell in cells(ten, ten + HOUR)
    }


def test_a_time_off_the_grid_takes_every_cell_it_touches(make_user, ten):
    interpreter = make_user(Role.VOLUNTEER, "int")
    booking = booking_create()
    start = ten + timedelta(minutes=15)
    booking_hold(booking=booking, users=[interpreter.pk], starts_at=start, ends_at=start + HOUR)
    assert sorted(booking.holds.values_list("starts_at", flat=True)) == [
        ten,
        ten + timedelta(minutes=30),
        ten + HOUR,
    ]


def test_a_second_booking_of_a_held_cell_is_a_conflict_and_takes_nothing(make_user, ten):
    advisor, interpreter = make_user(Role.LEGAL, "adv"), make_user(Role.VOLUNTEER, "int")
    first = booking_create()
    booking_hold(booking=first, users=[interpreter.pk], starts_at=ten, ends_at=ten + HOUR)
    second = booking_create()
    with pytest.raises(SlotTaken) as refused:
        booking_hold(
            booking=second,
            users=[advisor.pk, interpreter.pk],
            starts_at=ten + timedelta(minutes=30),
            ends_at=ten + 2 * HOUR,
        )
    assert isinstance(refused.value, Conflict) and refused.value.status_code == 409
    assert not second.holds.exists()
    assert first.holds.count() == 2


def test_release_frees_the_time_and_keeps_the_booking(make_user, ten):
    interpreter = make_user(Role.VOLUNTEER, "int")
    booking = booking_create()
    booking_hold(booking=booking, users=[interpreter.pk], starts_at=ten, ends_at=ten + HOUR)
    booking_release(booking=booking)
    assert not SlotHold.objects.exists() and Booking.objects.filter(pk=booking.pk).exists()
    other = booking_create()
    booking_hold(booking=other, users=[interpreter.pk], starts_at=ten, ends_at=ten + HOUR)
    assert other.holds.count() == 2


def test_releasing_no_booking_does_nothing(make_user, ten):
    booking_release(booking=None)
    assert not SlotHold.objects.exists()
