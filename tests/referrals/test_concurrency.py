"""Two medical volunteers book the same interpreter at the same moment: the database decides."""

import pytest

from fieldapp.errors import Conflict
from services.referrals.actions.workflow import referral_book
from services.referrals.models import Referral
from services.scheduling.models import SlotHold
from tests.distributions.test_concurrency import race

from .conftest import in_days
from .interpreting import available, interpreter_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_referrals_booking_one_interpreter_at_once_exactly_one_gets_them(
    make_referral, make_user, medical
):
    when = in_days(3)
    amira = interpreter_for(make_user, "amira", "ar")
    available(amira, when.date())
    turn = iter([make_referral(), make_referral()])

    results = race(
        lambda: referral_book(actor=medical, referral=next(turn), starts_at=when, interpreter=amira)
    )

    booked = [r for r in results if isinstance(r, Referral)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict) and refused[0].status_code == 409
    assert SlotHold.objects.filter(user=amira).count() == 2
    assert list(Referral.objects.filter(interpreter=amira)) == booked
    assert Referral.objects.filter(status="booked").count() == 1
