"""
The check-in screen at the table, as a volunteer uses it: a 360x740 phone, a real
Chromium, the live server. Most tests type the code, the path a scan takes once the QR
code is read; one films a card with Chromium's fake camera and scans it.
"""

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from services.distributions.models import CheckIn, Handout, StockBalance
from services.people.cards import card_qr
from tests.distributions import conftest as distribution_fixtures

from ..factories import PersonFactory
from .axe import assert_accessible_in_english_and_arabic, wait_until
from .conftest import (
    CHROMIUM_ARGS,
    PHONE_SCREEN,
    VOLUNTEER_PASSWORD,
    VOLUNTEER_USERNAME,
    sign_in,
)

# tests/distributions/conftest.py is not seen from here: its fixtures, by the same names.
sleeping_bag = distribution_fixtures.sleeping_bag
shoes = distribution_fixtures.shoes
jumper = distribution_fixtures.jumper
stocked = distribution_fixtures.stocked
session = distribution_fixtures.session
person = distribution_fixtures.person

CODE_BOX = "Card code or phone number"

TOUCH_TARGET_SHORTFALLS = """
() => {
  const short = [];
  const controls = 'button, a.button, input:not([type=hidden]), select';
  for (const control of document.querySelectorAll(controls)) {
    if (!control.checkVisibility()) continue;
    const isTick = control.matches('input[type=checkbox], input[type=radio]');
    const target = isTick ? control.closest('label') : control;
    const height = (target || control).getBoundingClientRect().height;
    if (!target || height < 44) short.push(`${control.outerHTML.slice(0, 90)}: ${height}px`);
  }
  return short;
}
"""
JSQR_FETCHED_AND_PAGE_LOADED = """
() => [
  performance.getEntriesByType('resource').find((e) => e.name.includes('jsQR')).startTime,
  performance.getEntriesByType('navigation')[0].loadEventEnd,
]
"""
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"

READ_QUEUE = """
() => new Promise((resolve, reject) => {
  const open = indexedDB.open('fieldapp-table', 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction('checkins').objectStore('checkins').getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
  };
})
"""
WRITE_QUEUE = """
(entries) => new Promise((resolve, reject) => {
  const open = indexedDB.open('fieldapp-table', 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction('checkins', 'readwrite');
    entries.forEach((entry) => tx.objectStore('checkins').put(entry));
    tx.oncomplete = () => { open.result.close(); resolve(); };
  };
})
"""


def open_checkin(page: Page, session, query: str = "") -> None:
    page.goto(f"/distributions/{session.pk}/checkin/{query}")
    expect(page.locator("#checkin[data-ready]")).to_be_attached()


def find(page: Page, code: str) -> None:
    page.get_by_label(CODE_BOX).fill(code)
    page.get_by_role("button", name="Find").click()


def wait_for_empty_queue(page: Page, timeout: float = 15) -> list:
    deadline = time.monotonic() + timeout
    while (entries := page.evaluate(READ_QUEUE)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return entries


def test_type_a_code_see_entitlements_tap_a_size_and_record(
    signed_in: Page, session, person, shoes, sleeping_bag
):
    page = signed_in
    open_checkin(page, session)
    find(page, person.code.replace("-", "").lower())

    expect(page.get_by_role("heading", level=2)).to_contain_text(person.code)
    group = page.get_by_role("group", name=re.compile(r"^Shoes"))
    expect(group.get_by_role("checkbox")).to_have_count(3)
    assert page.evaluate(TOUCH_TARGET_SHORTFALLS) == []
    assert not page.evaluate(SCROLLS_SIDEWAYS)

    group.get_by_text("42", exact=True).click()  # tap 1
    with page.expect_response(re.compile(r"/api/v1/checkins/$")) as answer:
        page.get_by_role("button", name="Record").click()  # tap 2
    assert answer.value.status == 201

    expect(page.locator("#notice")).to_contain_text(f"Recorded: {person.code} · Shoes 42")
    expect(page.get_by_label(CODE_BOX)).to_have_value("")
    expect(page.get_by_label(CODE_BOX)).to_be_focused()
    assert StockBalance.objects.get(site=session.site, item=shoes, size="42").quantity == 4
    checkin = CheckIn.objects.get()
    assert checkin.person == person and checkin.status == CheckIn.Status.RECORDED

    find(page, person.code)  # the sleeping bag is still allowed, the shoes are not
    expect(page.get_by_role("group", name=re.compile(r"^Shoes"))).to_contain_text("Next from")
    page.get_by_role("checkbox", name=re.compile(r"^Sleeping bag")).check()
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#notice")).to_contain_text("Sleeping bag")
    assert Handout.objects.filter(person=person).count() == 2


def test_a_refusal_is_shown_at_once_when_online(signed_in: Page, session, person, sleeping_bag):
    page = signed_in
    open_checkin(page, session)
    find(page, person.code)
    # Another phone records the sleeping bag while this one shows it as allowed.
    other = page.context.new_page()
    open_checkin(other, session)
    find(other, person.code)
    other.get_by_role("checkbox", name=re.compile(r"^Sleeping bag")).check()
    other.get_by_role("button", name="Record").click()
    expect(other.locator("#notice")).to_contain_text("Recorded")

    page.get_by_role("checkbox", name=re.compile(r"^Sleeping bag")).check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("alert")).to_contain_text("Sleeping bag: already given on")
    assert CheckIn.objects.count() == 1


def test_offline_check_ins_wait_on_the_phone_and_are_sent_once(
    signed_in: Page, session, sleeping_bag, jumper, site
):
    page = signed_in
    first, second = PersonFactory(home_site=site), PersonFactory(home_site=site)
    open_checkin(page, session)  # loaded with the signal: then it drops
    page.context.set_offline(True)
    expect(page.get_by_role("status").filter(has_text="Offline")).to_be_visible()

    offline = page.locator("#offline")
    find(page, first.code.lower())
    expect(offline).to_contain_text("Offline: this will be checked when the signal returns.")
    expect(page.locator("#offline-code")).to_have_text(first.code)
    offline.get_by_role("checkbox", name="Sleeping bag").check()
    offline.get_by_role("button", name="Record").click()
    expect(page.locator("#sync-count")).to_have_text("Waiting to send: 1")

    find(page, second.code)
    expect(page.locator("#offline-code")).to_have_text(second.code)
    jumpers = offline.get_by_role("group", name=re.compile(r"^Jumper"))
    jumpers.get_by_role("checkbox", name="M", exact=True).check()
    offline.get_by_role("button", name="Record").click()
    expect(page.locator("#sync-count")).to_have_text("Waiting to send: 2")
    assert not CheckIn.objects.exists()
    kept = page.evaluate(READ_QUEUE)
    assert sorted(entry["person"] for entry in kept) == sorted([first.code, second.code])

    page.context.set_offline(False)
    expect(page.locator("#sync")).to_be_hidden(timeout=15_000)
    assert wait_for_empty_queue(page) == []
    recorded = {str(c.client_uuid): c for c in CheckIn.objects.select_related("person")}
    assert set(recorded) == {entry["uuid"] for entry in kept}
    assert {c.person.code for c in recorded.values()} == {first.code, second.code}
    assert all(c.status == CheckIn.Status.RECORDED for c in recorded.values())
    assert StockBalance.objects.get(item=sleeping_bag, size="").quantity == 9
    assert StockBalance.objects.get(item=jumper, size="M").quantity == 19

    # The same check-ins sent again (as if their answers had been lost): still once each.
    page.evaluate(WRITE_QUEUE, kept)
    open_checkin(page, session)  # a sync runs on every page load
    assert wait_for_empty_queue(page) == []
    assert CheckIn.objects.count() == 2 and Handout.objects.count() == 2
    assert StockBalance.objects.get(item=sleeping_bag, size="").quantity == 9


def test_an_offline_code_that_does_not_exist_is_kept_as_not_sent(
    signed_in: Page, session, sleeping_bag
):
    page = signed_in
    open_checkin(page, session)
    page.context.set_offline(True)
    find(page, "ZZZ-ZZZ")
    page.locator("#offline").get_by_role("checkbox", name="Sleeping bag").check()
    page.locator("#offline").get_by_role("button", name="Record").click()
    expect(page.locator("#sync-count")).to_have_text("Waiting to send: 1")
    page.context.set_offline(False)
    unsent = page.locator("#unsent")
    expect(unsent).to_be_visible(timeout=15_000)
    expect(unsent).to_contain_text("ZZZ-ZZZ")
    expect(unsent).to_contain_text("No person has the code ZZZ-ZZZ.")
    expect(page.locator("#sync")).to_be_hidden()
    assert not CheckIn.objects.exists()


def test_the_page_reads_right_to_left_in_arabic(signed_in: Page, session, person):
    page = signed_in
    page.context.add_cookies(
        [{"name": "django_language", "value": "ar", "url": page.url, "sameSite": "Lax"}]
    )
    open_checkin(page, session, f"?code={person.code}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    assert page.evaluate(TOUCH_TARGET_SHORTFALLS) == []


def test_the_page_opens_with_no_signal_from_the_phones_copy(signed_in: Page, session, person):
    page = signed_in
    open_checkin(page, session)
    # Offline navigation needs the worker to be in control, not only the page cached.
    page.wait_for_function(
        """async () => {
          await navigator.serviceWorker.ready;
          const cache = await caches.open('fieldapp-table-v2');
          const cached = await cache.match(document.getElementById('checkin').dataset.page);
          return Boolean(cached) && navigator.serviceWorker.controller !== null;
        }""",
        timeout=15000,
    )
    # A page the worker served itself, so the next navigation certainly goes through it.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
    page.context.set_offline(True)
    page.goto(f"/distributions/{session.pk}/checkin/?code={person.code}")
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#offline-code")).to_have_text(person.code)
    page.context.set_offline(False)  # the signal is back


def card_video(path: Path, code: str) -> None:
    """A Y4M clip of the card's QR code (as printed by services.people.cards) for the camera."""
    width, height, scale, border = 640, 480, 8, 4
    matrix = card_qr(code).matrix
    luma = bytearray(b"\xeb" * (width * height))
    side = (len(matrix) + 2 * border) * scale
    left, top = (width - side) // 2, (height - side) // 2
    for row, modules in enumerate(matrix):
        for column, dark in enumerate(modules):
            if not dark:
                continue
            x = left + (column + border) * scale
            for y in range(top + (row + border) * scale, top + (row + border + 1) * scale):
                luma[y * width + x : y * width + x + scale] = b"\x10" * scale
    chroma = b"\x80" * (width * height // 4)
    with path.open("wb") as clip:
        clip.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(3):
            clip.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def camera_phone(browser: Browser, live_server, volunteer, person, tmp_path) -> Iterator[Page]:
    """A phone whose camera films the person's card, signed in as the volunteer."""
    clip = tmp_path / "card.y4m"
    card_video(clip, person.code)
    with_camera = browser.browser_type.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}",
        ],
    )
    context = with_camera.new_context(
        viewport=PHONE_SCREEN,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        base_url=live_server.url,
        permissions=["camera"],
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login/")
    sign_in(page, VOLUNTEER_USERNAME, VOLUNTEER_PASSWORD)
    yield page
    try:
        assert_accessible_in_english_and_arabic(page, live_server.url)
    finally:
        context.close()
        with_camera.close()


def test_scanning_the_card_finds_the_person(camera_phone: Page, session, person):
    page = camera_phone
    open_checkin(page, session)
    # Not part of the first load: fetched once the page has loaded, while the phone is idle.
    wait_until(page, "() => typeof jsQR === 'function'")
    started, loaded = page.evaluate(JSQR_FETCHED_AND_PAGE_LOADED)
    assert started >= loaded > 0
    page.get_by_role("button", name="Scan card").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(person.code)
    expect(page.get_by_label(CODE_BOX)).to_have_value(person.code)
    expect(page.locator("#scanner")).to_be_hidden()
    # Chromium on Linux has no BarcodeDetector: the vendored decoder was loaded and read it.
    decoder = page.evaluate("'BarcodeDetector' in window ? 'BarcodeDetector' : typeof jsQR")
    assert decoder in {"BarcodeDetector", "function"}
