"""A distribution form sent twice with its one-time token creates once (fieldapp/submissions.py)."""

import pytest
from django.urls import reverse

from services.distributions.models import DistributionSession, ItemType, StockMovement
from services.people.models import Person
from tests.factories import SiteFactory
from tests.once import assert_sent_once

from .test_coordinator_views import ITEM, plan_data


def test_registering_at_the_table_twice_registers_one_person(client, volunteer, session):
    client.force_login(volunteer)
    url = reverse("distributions_table:register", args=[session.pk])
    first = assert_sent_once(
        client, url, {"name": "Tesfay", "language": "ti"}, Person.objects.count
    )
    assert first["Location"].endswith(f"?code={Person.objects.get().code}")


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_transfer_sent_twice_moves_the_stock_once(as_coordinator, stocked, shoes):
    camp = SiteFactory(name="Grande-Synthe – Puythouck")
    url = reverse("distributions_coordinator:stock_transfer", args=[stocked.pk])
    data = {"item": shoes.pk, "size": "42", "quantity": "2", "target": camp.pk}
    before = StockMovement.objects.count()
    assert_sent_once(
        as_coordinator, url, data, lambda: StockMovement.objects.filter(site=camp).count()
    )
    assert StockMovement.objects.count() == before + 2  # out of one site, into the other


def test_stock_received_twice_is_counted_once(as_coordinator, site, jumper):
    url = reverse("distributions_coordinator:stock_receive", args=[site.pk])
    data = {"item": jumper.pk, "size": "xl", "quantity": "12", "reason": "Donation, church"}
    assert_sent_once(as_coordinator, url, data, StockMovement.objects.count)


def test_a_distribution_planned_twice_is_planned_once(as_coordinator, site, sleeping_bag):
    url = reverse("distributions_coordinator:session_plan")
    data = plan_data(site, sleeping_bag)
    assert_sent_once(as_coordinator, url, data, DistributionSession.objects.count)


def test_an_item_added_twice_is_added_once(as_coordinator):
    url = reverse("distributions_coordinator:item_create")
    assert_sent_once(
        as_coordinator, url, ITEM, lambda: ItemType.objects.filter(name="Sleeping mat").count()
    )
