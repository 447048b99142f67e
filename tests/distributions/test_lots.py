"""Received stock keeps its donor and expiry; it leaves first expiry first, whatever moves it."""

import uuid
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.stock import stock_adjust, stock_receive, stock_transfer
from services.distributions.models import StockBalance, StockLot, StockMovement
from tests.factories import PersonFactory, SiteFactory


def test_received_stock_records_its_donor_and_expiry(coordinator, site, sleeping_bag):
    later = timezone.localdate() + timedelta(days=40)
    stock_receive(
        actor=coordinator,
        site=site,
        item=sleeping_bag,
        size="",
        quantity=7,
        donor="  Care4Calais ",
        expires_on=later,
    )
    stock_receive(
        actor=coordinator, site=site, item=sleeping_bag, size="", quantity=3, donor="care4calais"
    )
    lots = list(StockLot.objects.filter(item=sleeping_bag).order_by("id"))
    assert [(lot.donor.name, lot.expires_on, lot.left) for lot in lots] == [
        ("Care4Calais", later, 7),
        ("Care4Calais", None, 3),  # the same donor, typed in another case
    ]
    assert StockMovement.objects.filter(lot__in=lots, kind="received").count() == 2


def test_a_handout_takes_the_stock_that_expires_first(
    coordinator, volunteer, session, sleeping_bag
):
    today = timezone.localdate()
    site = session.site  # 10 already there, received before, with no expiry
    soon = stock_receive(
        actor=coordinator,
        site=site,
        item=sleeping_bag,
        size="",
        quantity=1,
        expires_on=today + timedelta(days=5),
    ).lot
    sooner = stock_receive(
        actor=coordinator,
        site=site,
        item=sleeping_bag,
        size="",
        quantity=1,
        expires_on=today + timedelta(days=2),
    ).lot
    person = PersonFactory(home_site=site)
    checkin_record(
        actor=volunteer,
        session_id=session.pk,
        person_code=person.code,
        lines=[Line(sleeping_bag.pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    sooner.refresh_from_db()
    soon.refresh_from_db()
    assert (sooner.left, soon.left) == (0, 1)
    line = StockMovement.objects.get(kind="distributed", item=sleeping_bag)
    assert line.lot == sooner and line.quantity == -1


def test_a_line_larger_than_a_lot_spans_lots_and_the_ledger_still_balances(
    coordinator, site, jumper
):
    today = timezone.localdate()
    first = stock_receive(
        actor=coordinator,
        site=site,
        item=jumper,
        size="M",
        quantity=2,
        expires_on=today + timedelta(days=3),
    ).lot
    second = stock_receive(actor=coordinator, site=site, item=jumper, size="M", quantity=5).lot
    stock_adjust(
        actor=coordinator, site=site, item=jumper, size="M", change=-4, reason="wet", write_off=True
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.left, second.left) == (0, 3)
    out = StockMovement.objects.filter(kind="written_off").order_by("id")
    assert [(m.lot_id, m.quantity) for m in out] == [(first.pk, -2), (second.pk, -2)]
    ledger = StockMovement.objects.filter(site=site, item=jumper, size="M").aggregate(
        total=Sum("quantity")
    )["total"]
    balance = StockBalance.objects.get(site=site, item=jumper, size="M").quantity
    assert ledger == balance == 3


def test_a_transfer_moves_the_lots_with_their_donor_and_expiry(coordinator, site, sleeping_bag):
    other = SiteFactory()
    expiry = timezone.localdate() + timedelta(days=9)
    stock_receive(
        actor=coordinator,
        site=site,
        item=sleeping_bag,
        size="",
        quantity=4,
        donor="Help Refugees",
        expires_on=expiry,
    )
    stock_transfer(
        actor=coordinator, source=site, target=other, item=sleeping_bag, size="", quantity=3
    )
    moved = StockLot.objects.get(site=other)
    assert (moved.donor.name, moved.expires_on, moved.left, moved.received) == (
        "Help Refugees",
        expiry,
        3,
        3,
    )
    assert StockLot.objects.get(site=site).left == 1
