"""One filter per list: the overview screen and the API narrow referrals the same way."""

import pytest
from django.urls import reverse

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_referral, medical):
    from services.referrals.actions.workflow import referral_book

    booked = referral_book(actor=medical, referral=make_referral(), starts_at=in_days(2))
    return booked, make_referral()


def test_the_overview_and_the_api_filter_by_status_alike(client, api_as, coordinator, two):
    booked, referred = two
    client.force_login(coordinator)
    page = client.get(reverse("referrals:overview"), {"status": "booked"})
    assert page.status_code == 200
    api = api_as(coordinator).get(reverse("v1:referral-list"), {"status": "booked"}).json()
    assert [row["id"] for row in api["results"]] == [booked.pk]
    assert list(page.context["page"]) == [booked]


def test_a_filter_value_not_offered_is_not_an_error_page(client, coordinator, two):
    client.force_login(coordinator)
    page = client.get(reverse("referrals:overview"), {"status": "bogus"})
    assert page.status_code == 200
    assert "bogus" not in page.context["query"]


def test_the_partner_list_filters_by_kind(client, coordinator, partner, legal_service):
    client.force_login(coordinator)
    page = client.get(reverse("partners:list"), {"kind": "lawyer"})
    assert [p.name for p in page.context["partners"]] == ["Lawyers"]
