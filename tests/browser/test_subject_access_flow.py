"""
A coordinator gives a person a copy of their record: on a 360x740 phone, from the
person's page to the record in the person's own language (Arabic, right to left),
readable on the screen, printable, and downloadable as JSON.
"""

import json

from playwright.sync_api import Page, expect

from services.audit.models import AuditEntry
from tests.privacy.conftest import NAME, SMS_TEXT, world  # noqa: F401 - the fixture

from .conftest import PHONE_SCREEN, sign_in
from .test_registry_flow import TOUCH_TARGET_SHORTFALLS

PASSWORD = "a-long-test-password-1"


def test_a_person_gets_their_record_in_arabic_on_a_phone(phone: Page, world):  # noqa: F811
    phone.goto("/login/")
    sign_in(phone, world.coordinator.username, PASSWORD)
    phone.goto(f"/people/{world.person.code}/")
    phone.get_by_role("link", name="What we hold about this person").click()

    html = phone.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(phone.locator("h2")).to_have_count(7)
    record = phone.locator("article.record")
    for held in (world.person.code, NAME, "Soap", SMS_TEXT):
        expect(record).to_contain_text(held)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    assert phone.evaluate(TOUCH_TARGET_SHORTFALLS) == []
    # Right to left: the headings start at the right-hand edge of the screen.
    box = phone.locator("h1").bounding_box()
    assert box is not None and box["x"] + box["width"] > PHONE_SCREEN["width"] - 30

    phone.emulate_media(media="print")
    expect(phone.locator("header.bar")).to_be_hidden()
    expect(phone.locator(".actions")).to_be_hidden()
    expect(record).to_be_visible()
    phone.emulate_media(media="screen")

    with phone.expect_download() as download:
        phone.locator(".actions a[download]").click()
    with open(download.value.path(), encoding="utf-8") as file:
        copy = json.load(file)
    assert copy["person"]["code"] == world.person.code
    made = AuditEntry.objects.filter(action="person.subject_access", actor=world.coordinator)
    assert sorted(made.values_list("details__format", flat=True)) == ["html", "json"]
