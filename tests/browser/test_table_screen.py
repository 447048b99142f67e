"""
The check-in screen as it looks on a 360x740 phone: the Record button on screen whatever
the person may take, long names wrapped, people told apart, the landing after sign-in, the
icon, the page's font in text areas, and what a second visit downloads.
"""

import re

from playwright.sync_api import Page, expect

from services.distributions.actions.stock import stock_receive
from services.distributions.models import ItemType, SessionItem
from tests.distributions import conftest as distribution_fixtures

from ..factories import PersonFactory
from .axe import wait_until
from .conftest import VOLUNTEER_PASSWORD, VOLUNTEER_USERNAME, sign_in

sleeping_bag = distribution_fixtures.sleeping_bag
shoes = distribution_fixtures.shoes
jumper = distribution_fixtures.jumper
stocked = distribution_fixtures.stocked
session = distribution_fixtures.session
person = distribution_fixtures.person

CODE_BOX = "Card code or phone number"
SCREEN_HEIGHT = 740
LONG_NAME = "Abdulrahman-Mohammed-Alsayed-Ibrahimovic"  # 40 characters, no space to break at

IN_VIEWPORT = """
(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
}
"""
STATIC_KEPT = """
async () => {
  const names = await caches.keys();
  const cache = await caches.open(names.find((n) => n.startsWith('fieldapp-table-')));
  const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
  return paths.filter((p) => p.startsWith('/static/'));
}
"""


def every_size_offered(session, coordinator, shoes, site) -> None:
    """Twelve shoe sizes and both hygiene kits: the longest screen a volunteer meets."""
    for size in shoes.sizes:
        stock_receive(actor=coordinator, site=site, item=shoes, size=size, quantity=9)
    SessionItem.objects.filter(session=session, item=shoes).update(sizes=[])
    for audience in (ItemType.Audience.MEN, ItemType.Audience.WOMEN):
        kit = ItemType.objects.create(
            name=f"Hygiene kit {audience}", category=ItemType.Category.HYGIENE, audience=audience
        )
        stock_receive(actor=coordinator, site=site, item=kit, size="", quantity=9)
        SessionItem.objects.create(session=session, item=kit)


def test_record_is_on_screen_without_scrolling_and_a_long_name_wraps(
    signed_in: Page, session, coordinator, shoes, site
):
    every_size_offered(session, coordinator, shoes, site)
    someone = PersonFactory(home_site=site, name=LONG_NAME)
    page = signed_in
    page.goto(f"/distributions/{session.pk}/checkin/")
    expect(page.locator("#checkin[data-ready]")).to_be_attached()
    page.get_by_label(CODE_BOX).fill(someone.code)  # a whole code: looked up with no tap
    expect(page.get_by_role("heading", level=2)).to_contain_text(someone.code)
    expect(page.locator(".person .name")).to_have_text(LONG_NAME)
    record = page.get_by_role("button", name="Record")
    assert page.evaluate(IN_VIEWPORT, ".person .record-bar button")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    name_box = page.locator(".person .name").bounding_box()
    assert name_box and name_box["x"] + name_box["width"] <= 360
    # Two items and Record: the button never moved off the screen.
    page.get_by_role("checkbox", name=re.compile(r"^Sleeping bag")).check()
    page.get_by_role("group", name=re.compile(r"^Shoes")).get_by_text("44", exact=True).click()
    assert page.evaluate(IN_VIEWPORT, ".person .record-bar button")
    record.click()
    expect(page.locator("#notice")).to_contain_text("Recorded")


def test_which_person_tells_two_people_of_one_name_apart(signed_in: Page, session, site):
    PersonFactory(home_site=site, name="Samir", language="ti")
    PersonFactory(home_site=site, name="Samir", language="fa")
    page = signed_in
    page.goto(f"/distributions/{session.pk}/checkin/")
    expect(page.locator("#checkin[data-ready]")).to_be_attached()
    page.get_by_label(CODE_BOX).fill("Samir")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="Which person?")).to_be_visible()
    rows = page.locator(".people li")
    expect(rows).to_have_count(2)
    for row in rows.all():
        expect(row).to_contain_text(site.name)
        expect(row).to_contain_text("Last visit:")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_table_volunteer_signs_in_onto_todays_check_in_in_one_page_load(
    phone: Page, volunteer, session
):
    documents = []
    phone.on(
        "response",
        lambda response: (
            documents.append(response.url) if response.request.resource_type == "document" else None
        ),
    )
    phone.goto("/login/")
    documents.clear()
    sign_in(phone, VOLUNTEER_USERNAME, VOLUNTEER_PASSWORD)
    expect(phone.locator("#checkin[data-ready]")).to_be_attached()
    assert phone.url.endswith(f"/distributions/{session.pk}/checkin/")
    # The sign-in form's answer is a redirect; the check-in page is the one page loaded.
    assert [url for url in documents if "/login/" not in url] == [phone.url]


def test_pages_have_an_icon_and_text_areas_use_the_pages_font(signed_in: Page):
    page = signed_in
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and re.search(r"\.[0-9a-f]{12}\.svg$", icon)
    assert page.request.get(icon).status == 200
    fonts = page.evaluate(
        """() => {
          const area = document.body.appendChild(document.createElement('textarea'));
          const body = getComputedStyle(document.body).fontFamily;
          const fonts = [getComputedStyle(area).fontFamily, body];
          area.remove();
          return fonts;
        }"""
    )
    assert fonts[0] == fonts[1] and "monospace" not in fonts[0]


def test_a_second_visit_takes_the_static_files_from_the_phone(signed_in: Page, session):
    page = signed_in
    page.goto(f"/distributions/{session.pk}/checkin/")
    expect(page.locator("#checkin[data-ready]")).to_be_attached()
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until(page, f"async () => (await ({STATIC_KEPT})()).length >= 4")
    kept = page.evaluate(STATIC_KEPT)
    assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", path) for path in kept), kept
    assert any("jsQR" in path for path in kept)

    from_network = []
    page.context.on(
        "request",
        lambda request: (
            from_network.append(request.url)
            if "/static/" in request.url and request.service_worker is not None
            else None
        ),
    )
    static_answers = []
    page.on(
        "response",
        lambda response: (
            static_answers.append(response.from_service_worker)
            if "/static/" in response.url
            else None
        ),
    )
    page.reload()
    expect(page.locator("#checkin[data-ready]")).to_be_attached()
    page.wait_for_timeout(500)
    assert static_answers and all(static_answers)  # every CSS, JS and icon from the cache
    assert from_network == []  # and the worker asked the network for none of them
