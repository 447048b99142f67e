"""Low-stock levels: set by coordinators, shown on the dashboard, told once a day."""

import pytest
from django.utils import timezone

from fieldapp.errors import DomainError
from fieldapp.figures import Scope
from services.accounts.models import Channel
from services.distributions.actions.alerts import stock_low_alert
from services.distributions.actions.levels import low_stock_level_set
from services.distributions.actions.stock import stock_adjust
from services.distributions.models import LowStockLevel
from services.distributions.stats import items_low
from services.messaging.models import Message
from services.messaging.sms_templates import Kind


@pytest.fixture
def reachable(coordinator):
    coordinator.email, coordinator.notify_by = "coord@example.org", Channel.EMAIL
    coordinator.save()
    return coordinator


def test_only_a_coordinator_sets_a_level(volunteer, site, sleeping_bag):
    with pytest.raises(DomainError):
        low_stock_level_set(actor=volunteer, site=site, item=sleeping_bag, level=5)


def test_a_level_is_set_changed_and_removed(coordinator, site, sleeping_bag):
    low_stock_level_set(actor=coordinator, site=site, item=sleeping_bag, level=5)
    low_stock_level_set(actor=coordinator, site=site, item=sleeping_bag, level=8)
    assert LowStockLevel.objects.get().level == 8
    low_stock_level_set(actor=coordinator, site=site, item=sleeping_bag, level=None)
    assert not LowStockLevel.objects.exists()


def test_crossing_the_level_lists_the_item_as_low(coordinator, stocked, sleeping_bag, shoes):
    low_stock_level_set(actor=coordinator, site=stocked, item=sleeping_bag, level=4)
    low_stock_level_set(actor=coordinator, site=stocked, item=shoes, level=10)  # 15 in 3 sizes
    today = timezone.localdate()
    scope = Scope(coordinator, None, today, today)
    assert items_low(scope) == []
    stock_adjust(
        actor=coordinator, site=stocked, item=sleeping_bag, size="", change=-6, reason="count"
    )
    assert [(low.item_id, low.on_hand, low.level) for low in items_low(scope)] == [
        (sleeping_bag.pk, 4, 4)
    ]


def test_coordinators_are_told_once_a_day_not_per_handout(reachable, stocked, sleeping_bag):
    low_stock_level_set(actor=reachable, site=stocked, item=sleeping_bag, level=20)
    assert stock_low_alert() == 1
    stock_adjust(actor=reachable, site=stocked, item=sleeping_bag, size="", change=-1, reason="x")
    stock_low_alert()  # a second run the same day
    messages = Message.objects.filter(kind=Kind.STOCK_LOW)
    assert messages.count() == 1
    message = messages.get()
    assert message.user == reachable and message.context["count"] == "1"
    assert stocked.name in message.context["places"]


def test_nothing_low_sends_nothing(reachable, stocked, sleeping_bag):
    low_stock_level_set(actor=reachable, site=stocked, item=sleeping_bag, level=2)
    assert stock_low_alert() == 0
    assert not Message.objects.exists()
