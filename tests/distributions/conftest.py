import datetime

import pytest
from django.utils import timezone

from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive
from services.distributions.models import DistributionSession, ItemType
from tests.factories import PersonFactory

SHOE_SIZES = [str(n) for n in range(36, 48)]
CLOTHES = ["XS", "S", "M", "L", "XL", "XXL"]


@pytest.fixture
def sleeping_bag(db):
    return ItemType.objects.create(
        name="Sleeping bag",
        names={"fr": "Sac de couchage", "ar": "كيس نوم"},
        category=ItemType.Category.BEDDING,
        min_interval_days=30,
    )


@pytest.fixture
def shoes(db):
    return ItemType.objects.create(
        name="Shoes",
        names={"fr": "Chaussures"},
        category=ItemType.Category.SHOES,
        sizes=SHOE_SIZES,
        min_interval_days=30,
    )


@pytest.fixture
def jumper(db):
    return ItemType.objects.create(
        name="Jumper", category=ItemType.Category.CLOTHING, sizes=CLOTHES
    )


@pytest.fixture
def stocked(coordinator, site, sleeping_bag, shoes, jumper):
    stock_receive(actor=coordinator, site=site, item=sleeping_bag, size="", quantity=10)
    for size in ("41", "42", "43"):
        stock_receive(actor=coordinator, site=site, item=shoes, size=size, quantity=5)
    for size in ("M", "L"):
        stock_receive(actor=coordinator, site=site, item=jumper, size=size, quantity=20)
    return site


@pytest.fixture
def session(coordinator, stocked, sleeping_bag, shoes, jumper) -> DistributionSession:
    planned = session_plan(
        actor=coordinator,
        site=stocked,
        day=timezone.localdate(),
        starts_at=datetime.time(10),
        ends_at=datetime.time(13),
        offers=[
            Offer(sleeping_bag, []),
            Offer(shoes, ["41", "42", "43"]),
            Offer(jumper, ["M", "L"], 2),
        ],
    )
    return session_set_status(
        actor=coordinator, session=planned, status=DistributionSession.Status.OPEN
    )


@pytest.fixture
def person(site):
    return PersonFactory(home_site=site)
