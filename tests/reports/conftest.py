import datetime
import uuid

import pytest
from django.utils import timezone

from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive, stock_transfer
from services.distributions.models import DistributionSession, ItemType
from tests.factories import PersonFactory, SiteFactory


@pytest.fixture
def sleeping_bag(db):
    return ItemType.objects.create(
        name="Sleeping bag", category=ItemType.Category.BEDDING, min_interval_days=30
    )


@pytest.fixture
def tent(db):
    return ItemType.objects.create(name="Tent", category=ItemType.Category.SHELTER)


@pytest.fixture
def warehouse(db):
    return SiteFactory(name="Warehouse", kind="warehouse")


@pytest.fixture
def served(coordinator, site, warehouse, sleeping_bag, tent):
    """
    Two donors' sleeping bags at the warehouse (the appeal's first), 20 sent on to the
    camp, then 12 people served there today: 12 bags and 3 tents.
    """
    stock_receive(
        actor=coordinator, site=warehouse, item=sleeping_bag, size="", quantity=15, donor="Appeal"
    )
    stock_receive(
        actor=coordinator, site=warehouse, item=sleeping_bag, size="", quantity=30, donor="Parish"
    )
    stock_receive(actor=coordinator, site=site, item=tent, size="", quantity=10, donor="Parish")
    stock_transfer(
        actor=coordinator, source=warehouse, target=site, item=sleeping_bag, size="", quantity=20
    )
    session = session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate(),
        starts_at=datetime.time(0, 1),
        ends_at=datetime.time(23, 59),
        offers=[Offer(sleeping_bag, []), Offer(tent, [])],
    )
    session_set_status(actor=coordinator, session=session, status=DistributionSession.Status.OPEN)
    for n in range(12):
        person = PersonFactory(home_site=site)
        lines = [Line(item_id=sleeping_bag.pk, size="", quantity=1)]
        if n < 3:
            lines.append(Line(item_id=tent.pk, size="", quantity=1))
        checkin_record(
            actor=coordinator,
            session_id=session.pk,
            person_code=person.code,
            lines=lines,
            client_uuid=uuid.uuid4(),
        )
    return session
