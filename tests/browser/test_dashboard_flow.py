"""
The coordinators' dashboard on a 360x740 phone, a real Chromium, the live server, in
English and in Arabic (right to left): the charts are drawn, each with its numbers, a
small count reads "<5", a reversed range is refused in words, nothing scrolls sideways.
"""

import datetime
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.roles import Role
from services.distributions.actions.levels import low_stock_level_set
from services.distributions.actions.stock import stock_receive
from services.distributions.models import CheckIn, DistributionSession, Handout, ItemType
from tests.factories import PersonFactory

from .conftest import sign_in
from .test_onboarding_flow import fits_the_phone

PASSWORD = "dashboard-browser-password-1"


def _served(site, blanket, day: datetime.date, count: int) -> None:
    session = DistributionSession.objects.create(
        site=site,
        date=day,
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
        status=DistributionSession.Status.CLOSED,
    )
    for _ in range(count):
        person = PersonFactory(home_site=site)
        checkin = CheckIn.objects.create(
            client_uuid=uuid.uuid4(), payload_hash="x", session=session, person=person
        )
        Handout.objects.create(
            checkin=checkin,
            person=person,
            item=blanket,
            quantity=1,
            given_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(11))),
        )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_coordinator_reads_the_dashboard_on_a_phone(phone: Page, site, language):
    coordinator = user_create(
        username="coord", password=PASSWORD, role=Role.COORDINATOR, site=site, language=language
    )
    blanket = ItemType.objects.create(name="Blanket", category=ItemType.Category.BEDDING)
    today = timezone.localdate()
    stock_receive(
        actor=coordinator,
        site=site,
        item=blanket,
        size="",
        quantity=6,
        donor="Calais Food Collective",
        expires_on=today + datetime.timedelta(days=3),
    )
    low_stock_level_set(actor=coordinator, site=site, item=blanket, level=10)
    _served(site, blanket, today - datetime.timedelta(days=2), 12)
    _served(site, blanket, today - datetime.timedelta(days=1), 3)

    phone.goto("/login/")
    sign_in(phone, "coord", PASSWORD)
    phone.goto("/dashboard/")
    expect(phone.locator("html")).to_have_attribute("lang", language)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(phone.locator("section#served svg.chart")).to_have_count(1)
    # People served, items, appointments and texts; no referral or shift yet: no chart.
    expect(phone.locator("svg.chart")).to_have_count(4)
    phone.locator("section#served details summary").click()
    served = phone.locator("section#served table")
    expect(served.locator("tbody tr")).to_have_count(2)
    expect(served.locator("tbody tr").last).to_contain_text("<5")
    expect(phone.locator("section#stock-warnings tr.warning")).to_have_count(1)
    expect(phone.locator("section#stock-warnings")).to_contain_text(
        (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    )
    fits_the_phone(phone)

    # A reversed range: refused in words, in the page's language, and nothing else shown.
    phone.locator("input[name=start]").fill(today.isoformat())
    phone.locator("input[name=end]").fill((today - datetime.timedelta(days=5)).isoformat())
    phone.locator("form.filters button").click()
    expect(phone.locator("form.filters .error")).to_be_visible()
    expect(phone.locator("svg.chart")).to_have_count(0)
    fits_the_phone(phone)
