"""
A medical volunteer's lists show the referrals made at the sites they work at;
coordinators see every site's statuses. A referral is made at one of one's own sites.
"""

import pytest
from django.urls import reverse

from fieldapp.errors import DomainError
from services.accounts.actions import user_create
from services.accounts.roles import Role
from services.referrals.actions.referral import referral_create
from services.referrals.actions.workflow import referral_book
from services.referrals.models import ReasonCategory, Urgency
from services.referrals.selectors import followups_open, referrals_open, referrals_upcoming
from tests.factories import PersonFactory, SiteFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(medical_service):
    """A referral made at another site by that site's nurse, booked in two days."""
    other_site = SiteFactory(name="Dunkirk")
    nurse = user_create(
        username="dunkirk-nurse",
        password="a-long-test-password-1",
        role=Role.MEDICAL,
        site=other_site,
    )
    referral = referral_create(
        actor=nurse,
        person=PersonFactory(home_site=other_site),
        service=medical_service,
        site=other_site,
        urgency=Urgency.URGENT,
        reason_category=ReasonCategory.DENTAL,
        consent=True,
    )
    return referral_book(actor=nurse, referral=referral, starts_at=in_days(2))


def test_the_medical_lists_keep_to_ones_own_sites(medical, make_referral, elsewhere):
    here = referral_book(actor=medical, referral=make_referral(), starts_at=in_days(2))
    assert list(referrals_open(user=medical)) == [here]
    assert list(referrals_upcoming(user=medical)) == [here]
    assert list(followups_open(user=medical)) == []


def test_the_api_list_keeps_to_ones_own_sites(
    api_as, medical, coordinator, make_referral, elsewhere
):
    here = make_referral()
    ids = [row["id"] for row in api_as(medical).get(reverse("v1:referral-list")).json()["results"]]
    assert ids == [here.pk]
    every = api_as(coordinator).get(reverse("v1:referral-list")).json()["results"]
    assert {row["id"] for row in every} == {here.pk, elsewhere.pk}


def test_the_screens_keep_to_ones_own_sites(client, medical, make_referral, elsewhere):
    make_referral()
    client.force_login(medical)
    page = client.get(reverse("referrals:home")).content.decode()
    assert elsewhere.person.code not in page
    overview = client.get(reverse("referrals:overview")).content.decode()
    assert elsewhere.person.code not in overview


def test_a_referral_is_made_at_one_of_ones_own_sites(medical, medical_service, person):
    with pytest.raises(DomainError) as refused:
        referral_create(
            actor=medical,
            person=person,
            service=medical_service,
            site=SiteFactory(name="Not mine"),
            urgency=Urgency.ROUTINE,
            reason_category=ReasonCategory.GENERAL,
            consent=True,
        )
    assert refused.value.field == "site"
