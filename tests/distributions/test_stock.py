import pytest

from fieldapp.errors import DomainError
from services.distributions.actions.stock import (
    OutOfStock,
    stock_adjust,
    stock_receive,
    stock_transfer,
)
from services.distributions.models import StockBalance, StockMovement
from services.distributions.selectors import stock_from_ledger
from tests.factories import SiteFactory


def on_hand(site, item, size=""):
    balance = StockBalance.objects.filter(site=site, item=item, size=size).first()
    return balance.quantity if balance else 0


def test_quantity_on_hand_is_the_sum_of_the_ledger(coordinator, site, shoes):
    stock_receive(actor=coordinator, site=site, item=shoes, size="42", quantity=12)
    stock_adjust(
        actor=coordinator, site=site, item=shoes, size="42", change=-2, reason="counted 10"
    )
    assert on_hand(site, shoes, "42") == 10 == stock_from_ledger(site=site, item=shoes, size="42")
    assert StockMovement.objects.count() == 2


def test_a_transfer_moves_both_sides_at_once(coordinator, site, sleeping_bag):
    van = SiteFactory(name="Van 1")
    stock_receive(actor=coordinator, site=site, item=sleeping_bag, size="", quantity=8)
    stock_transfer(
        actor=coordinator, source=site, target=van, item=sleeping_bag, size="", quantity=5
    )
    assert (on_hand(site, sleeping_bag), on_hand(van, sleeping_bag)) == (3, 5)


def test_a_transfer_that_would_go_negative_changes_nothing(coordinator, site, sleeping_bag):
    van = SiteFactory(name="Van 1")
    stock_receive(actor=coordinator, site=site, item=sleeping_bag, size="", quantity=2)
    with pytest.raises(OutOfStock):
        stock_transfer(
            actor=coordinator, source=site, target=van, item=sleeping_bag, size="", quantity=3
        )
    assert (on_hand(site, sleeping_bag), on_hand(van, sleeping_bag)) == (2, 0)
    assert StockMovement.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "3", True, 10**9])
def test_bad_quantities_are_refused(coordinator, site, sleeping_bag, quantity):
    with pytest.raises(DomainError):
        stock_receive(actor=coordinator, site=site, item=sleeping_bag, size="", quantity=quantity)
    assert not StockMovement.objects.exists()


def test_a_size_that_does_not_belong_to_the_item_is_refused(coordinator, site, shoes, sleeping_bag):
    with pytest.raises(DomainError) as refused:
        stock_receive(actor=coordinator, site=site, item=shoes, size="XL", quantity=1)
    assert refused.value.code == "bad_size"
    with pytest.raises(DomainError):
        stock_receive(actor=coordinator, site=site, item=sleeping_bag, size="M", quantity=1)


def test_an_adjustment_needs_a_reason_and_records_who(coordinator, site, shoes):
    stock_receive(actor=coordinator, site=site, item=shoes, size="42", quantity=3)
    with pytest.raises(DomainError):
        stock_adjust(actor=coordinator, site=site, item=shoes, size="42", change=-1, reason="  ")
    movement = stock_adjust(
        actor=coordinator, site=site, item=shoes, size="42", change=-1, reason="wet", write_off=True
    )
    assert movement.actor == coordinator and movement.kind == StockMovement.Kind.WRITTEN_OFF


def test_stock_can_never_go_below_zero(coordinator, site, shoes):
    stock_receive(actor=coordinator, site=site, item=shoes, size="42", quantity=1)
    with pytest.raises(OutOfStock):
        stock_adjust(actor=coordinator, site=site, item=shoes, size="42", change=-2, reason="lost")
    assert on_hand(site, shoes, "42") == 1
