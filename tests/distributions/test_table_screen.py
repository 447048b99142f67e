"""
What the check-in screen offers and how it reads: the kits that apply to the person, plain
labels, stock counts only when low, sizes in shop order, people told apart on "Which
person?", a table volunteer's sign-in, and answers that carry only the headers they need.
"""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive
from services.distributions.models import DistributionSession, ItemType
from services.distributions.sizes import size_key, sorted_sizes
from tests.factories import PersonFactory, SiteFactory


def checkin_url(session):
    return reverse("distributions_table:checkin", args=[session.pk])


@pytest.fixture
def table(client, volunteer):
    client.force_login(volunteer)
    return client


@pytest.fixture
def kits(db):
    return {
        audience: ItemType.objects.create(
            name=f"Hygiene kit ({audience})", category=ItemType.Category.HYGIENE, audience=audience
        )
        for audience in (ItemType.Audience.MEN, ItemType.Audience.WOMEN)
    }


@pytest.fixture
def kit_session(coordinator, site, kits, sleeping_bag):
    for item in (*kits.values(), sleeping_bag):
        stock_receive(actor=coordinator, site=site, item=item, size="", quantity=50)
    planned = session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate(),
        starts_at=datetime.time(0),
        ends_at=datetime.time(23, 59),
        offers=[Offer(sleeping_bag, []), *(Offer(kit, []) for kit in kits.values())],
    )
    return session_set_status(
        actor=coordinator, session=planned, status=DistributionSession.Status.OPEN
    )


def found_part(page: str) -> str:
    """The person's part of the page, without the offline form (every offer, nobody's)."""
    return page[page.index('id="found"') : page.index('id="offline"')]


def offered(page: str, kits) -> set[str]:
    found = found_part(page)
    return {audience for audience, kit in kits.items() if f'value="{kit.pk}:"' in found}


def test_a_person_who_took_a_womens_kit_is_offered_womens_kits_only(
    table, volunteer, coordinator, kit_session, kits, site
):
    person = PersonFactory(home_site=site)
    page = table.get(checkin_url(kit_session), {"code": person.code}).content.decode()
    assert offered(page, kits) == {"men", "women"}  # a newcomer: the volunteer chooses
    assert "Women" in page and "Men" in page  # each kit says whom it is for
    past = session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate() - datetime.timedelta(days=7),
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
        offers=[Offer(kits["women"], [])],
    )
    session_set_status(actor=coordinator, session=past, status="open")
    checkin_record(
        actor=volunteer,
        session_id=past.pk,
        person_code=person.code,
        lines=[Line(kits["women"].pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    page = table.get(checkin_url(kit_session), {"code": person.code}).content.decode()
    assert offered(page, kits) == {"women"}


def test_the_api_offers_the_same_kits_as_the_screen(api_client, volunteer, kit_session, kits, site):
    person = PersonFactory(home_site=site)
    checkin_record(
        actor=volunteer,
        session_id=kit_session.pk,
        person_code=person.code,
        lines=[Line(kits["men"].pk, "", 1)],
        client_uuid=uuid.uuid4(),
    )
    api_client.force_authenticate(volunteer)
    url = f"/api/v1/distributions/{kit_session.pk}/entitlements/"
    body = api_client.get(url, {"person": person.code}).json()
    assert {offer["name"] for offer in body["offers"]} == {
        "Sleeping bag",
        "Hygiene kit (men)",
    }


def test_an_item_without_sizes_is_one_plain_tile_not_a_heading_and_a_button(table, session, person):
    page = table.get(checkin_url(session), {"code": person.code}).content.decode()
    found = found_part(page)
    assert (
        found.count("Sleeping bag") == 2
    )  # the tile's label and its data-label, no more  # the tile's label only, no legend above it
    assert "<legend>Sleeping bag" not in page


def test_a_limit_across_sizes_says_it_is_in_total(table, session, person):
    page = table.get(checkin_url(session), {"code": person.code}).content.decode()
    assert "Up to 2 in total, any sizes" in page  # the jumper: 2 in all, not 2 per size


def test_stock_left_is_shown_only_when_it_is_low(table, session, person, coordinator, shoes):
    page = table.get(checkin_url(session), {"code": person.code}).content.decode()
    assert "20 left" not in page  # jumpers M and L: plenty
    assert "5 left" in page  # shoes 41, 42, 43: five each, low
    stock_receive(actor=coordinator, site=session.site, item=shoes, size="42", quantity=10)
    page = table.get(checkin_url(session), {"code": person.code}).content.decode()
    assert page.count("5 left") == 2 and "15 left" not in page


def test_sizes_are_in_shop_order():
    assert sorted_sizes(["L", "M", "S", "XL", "XS", "XXL"]) == ["XS", "S", "M", "L", "XL", "XXL"]
    assert sorted_sizes(["42", "9", "40.5", "38"]) == ["9", "38", "40.5", "42"]
    assert size_key("3XL") == size_key("XXXL")
    assert sorted_sizes(["One size", "M"]) == ["M", "One size"]


def test_the_stock_page_and_the_tiles_list_sizes_in_shop_order(
    client, coordinator, table, session, person, jumper, site
):
    for size in ("XL", "S", "XS"):
        stock_receive(actor=coordinator, site=site, item=jumper, size=size, quantity=3)
    jumper.sizes = ["L", "M", "S", "XL", "XS"]
    jumper.save()
    session.offers.filter(item=jumper).update(sizes=[])
    page = table.get(checkin_url(session), {"code": person.code}).content.decode()
    tiles = [page.index(f'value="{jumper.pk}:{size}"') for size in ("XS", "S", "M", "L", "XL")]
    assert tiles == sorted(tiles)
    client.force_login(coordinator)
    stock_page = client.get(
        reverse("distributions_coordinator:stock_site", args=[site.pk])
    ).content.decode()
    rows = [stock_page.index(f"<bdi>{size}</bdi>") for size in ("XS", "S", "M", "L", "XL")]
    assert rows == sorted(rows)


def test_which_person_shows_site_sms_language_and_last_visit(table, session, site):
    seen = datetime.datetime(2026, 3, 4, 11, tzinfo=datetime.UTC)
    PersonFactory(home_site=site, name="Samir", language="ti", last_seen_at=seen)
    PersonFactory(home_site=site, name="Samir", language="fa")
    page = table.get(checkin_url(session), {"code": "Samir"}).content.decode()
    assert "Which person?" in page
    assert page.count(f"<bdi>{site.name}</bdi> · <bdi>SMS:") == 2
    assert "Tigrinya" in page or "ትግርኛ" in page
    assert "Last visit: 04/03/2026" in page


def test_which_person_lists_only_the_readers_sites(table, session, site):
    PersonFactory(home_site=site, name="Samir")
    PersonFactory(home_site=site, name="Samir")
    elsewhere = PersonFactory(home_site=SiteFactory(name="Far camp"), name="Samir")
    page = table.get(checkin_url(session), {"code": "Samir"}).content.decode()
    assert "Which person?" in page and elsewhere.code not in page and "Far camp" not in page


def test_a_bidi_override_never_comes_back_in_the_search_message(table, session):
    page = table.get(checkin_url(session), {"code": "\u202eZZZ-ZZZ"}).content.decode()
    assert "\u202e" not in page
    page = table.get(checkin_url(session), {"code": "nob\u202eody"}).content.decode()
    assert "\u202e" not in page and "nobody" in page
    people = table.get(reverse("people:list"), {"q": "nob\u202eody"}).content.decode()
    assert "\u202e" not in people


def test_a_table_volunteer_signs_in_straight_to_todays_check_in(client, volunteer, session):
    volunteer.set_password("a-long-test-password-2")
    volunteer.save()
    response = client.post(
        reverse("login"), {"username": volunteer.username, "password": "a-long-test-password-2"}
    )
    assert response["Location"] == checkin_url(session)


def test_sign_in_goes_home_when_there_is_no_single_distribution_open(
    client, volunteer, session, coordinator
):
    session_set_status(actor=coordinator, session=session, status="closed")
    volunteer.set_password("a-long-test-password-2")
    volunteer.save()
    response = client.post(
        reverse("login"), {"username": volunteer.username, "password": "a-long-test-password-2"}
    )
    assert response["Location"] == reverse("home")


def test_a_coordinator_signs_in_to_the_home_page_not_the_table(client, coordinator, session):
    from services.distributions.selectors import session_to_serve_at_sign_in

    assert session_to_serve_at_sign_in(user=coordinator) is None


def test_a_person_lookup_and_a_json_answer_carry_no_document_headers(
    table, session, person, api_client, volunteer
):
    partial = table.get(checkin_url(session), {"code": person.code, "partial": "1"})
    for response in (partial, table.get(reverse("v1:checkin-list"))):
        assert response.status_code == 200
        assert "Content-Security-Policy" not in response
        assert "X-Frame-Options" not in response and "Expires" not in response
        assert response["Cache-Control"] == "no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    page = table.get(checkin_url(session))
    assert "Content-Security-Policy" in page and "X-Frame-Options" in page
