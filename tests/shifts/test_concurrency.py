"""
Two phones at the same moment: the database decides, exactly once. Run on PostgreSQL
(DATABASE_URL) for a real race; on SQLite the writers take turns, and the same holds.
"""

import threading
from datetime import time

import pytest

from fieldapp.errors import DomainError
from services.scheduling.models import SlotHold
from services.shifts.actions.shifts import shift_create
from services.shifts.actions.signups import signup_create
from services.shifts.models import Shift, SignUp
from tests.distributions.test_concurrency import race

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db(transaction=True)


def _in_turn(items):
    """Each racing thread takes the next item."""
    turns, lock = iter(items), threading.Lock()

    def take():
        with lock:
            return next(turns)

    return take


def test_two_phones_taking_the_last_place_at_once_exactly_one_gets_it(
    coordinator, site, day, make_user
):
    shift = shift_create(actor=coordinator, site=site, plan=plan(day, people_needed=2))
    signup_create(actor=volunteer_on(make_user, "first"), shift=shift)
    who = _in_turn([volunteer_on(make_user, "amina"), volunteer_on(make_user, "yonas")])
    results = race(lambda: signup_create(actor=who(), shift=shift))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(results) == 2 and len(refused) == 1, results
    assert isinstance(refused[0], DomainError) and refused[0].code == "full"
    shift.refresh_from_db()
    assert shift.signed_up == 2 == SignUp.objects.filter(shift=shift).count()


def test_ten_phones_for_three_places_three_get_one(coordinator, site, day, make_user):
    shift = shift_create(actor=coordinator, site=site, plan=plan(day, people_needed=3))
    who = _in_turn([volunteer_on(make_user, f"v{n}") for n in range(10)])
    results = race(lambda: signup_create(actor=who(), shift=shift), count=10)
    assert sum(isinstance(r, SignUp) for r in results) == 3, results
    assert all(r.code == "full" for r in results if isinstance(r, DomainError))
    shift.refresh_from_db()
    assert shift.signed_up == 3 == SignUp.objects.filter(shift=shift).count()


def test_one_volunteer_taking_two_overlapping_shifts_at_once_gets_one(
    coordinator, site, day, make_user
):
    amina = volunteer_on(make_user, "amina")
    shifts = [
        shift_create(actor=coordinator, site=site, plan=plan(day)),
        shift_create(
            actor=coordinator, site=site, plan=plan(day, start_time=time(16), end_time=time(18))
        ),
    ]
    which = _in_turn(shifts)
    results = race(lambda: signup_create(actor=amina, shift=which()))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].code == "overlap", results
    assert SignUp.objects.filter(user=amina).count() == 1
    assert sum(Shift.objects.values_list("signed_up", flat=True)) == 1
    held = SignUp.objects.get(user=amina).booking
    assert SlotHold.objects.filter(user=amina).exclude(booking=held).count() == 0


def test_a_double_tap_signs_up_once(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    results = race(lambda: signup_create(actor=amina, shift=shift))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].code == "already_on", results
    shift.refresh_from_db()
    assert shift.signed_up == 1 == SignUp.objects.filter(shift=shift).count()


def test_withdrawing_and_signing_up_again_at_once_neither_deadlocks_nor_doubles(shift, make_user):
    from services.shifts.actions.signups import signup_withdraw

    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    tap = _in_turn(
        [
            lambda: signup_withdraw(actor=amina, signup=signup),
            lambda: signup_create(actor=amina, shift=shift),
        ]
    )
    results = race(lambda: tap()())
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]
    shift.refresh_from_db()
    standing = SignUp.objects.filter(shift=shift, withdrawn_at__isnull=True).count()
    assert shift.signed_up == standing <= 1
