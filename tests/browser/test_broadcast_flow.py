"""A coordinator announces a moved distribution from a phone, in Arabic (right to left)."""

import re

from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.roles import Role
from services.messaging.models import Broadcast, Message
from services.people.phones import phone_parse
from tests.factories import PersonFactory

from .conftest import pass_second_factor

PASSWORD = "coordinator-browser-password-1"


def test_coordinator_previews_live_and_sends_an_announcement_in_arabic(phone: Page, site):
    user_create(username="coord", password=PASSWORD, role=Role.COORDINATOR, site=site)
    for n, language in enumerate(["ar", "ti", "fa"]):
        PersonFactory(
            home_site=site,
            language=language,
            sms_consent=True,
            phone=phone_parse(f"06123456{n:02d}"),
        )
    phone.goto("/login/")
    phone.locator("details.langs summary").click()
    phone.get_by_role("button", name="العربية").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.locator("#id_username").fill("coord")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main form button").click()
    pass_second_factor(phone, "coord")
    phone.goto("/messages/broadcast/")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")

    phone.locator("#id_kind").select_option("distribution_moved")
    phone.locator("#id_date").fill("2026-11-28")
    phone.locator("#id_time").fill("15:00")
    phone.locator("#id_place").fill("Parking Lidl")
    # The live preview (small vendored script) fills in without pressing Preview.
    preview = phone.locator("#preview table")
    expect(preview).to_contain_text("Parking Lidl", timeout=5000)
    expect(preview).to_contain_text("UCS-2")
    # On a phone the text of each row spans the width, not a squeezed column.
    text_cell = preview.locator("tbody tr td:nth-child(2)").first.bounding_box()
    assert text_cell and text_cell["width"] >= 280
    assert not Message.objects.exists()

    phone.locator("button[name=confirm][value=preview]").click()
    send = phone.locator("button[name=confirm][value=send]")
    expect(send).to_contain_text("3")
    box = send.bounding_box()
    assert box and box["height"] >= 44
    send.click()
    expect(phone).to_have_url(re.compile(r"/messages/\?kind="))
    assert Broadcast.objects.get().recipients == 3
    assert Message.objects.filter(status=Message.Status.PENDING).count() == 3


def test_a_half_written_urgent_message_survives_switching_the_language(phone: Page, site):
    user_create(username="coord", password=PASSWORD, role=Role.COORDINATOR, site=site)
    PersonFactory(home_site=site, language="ti", sms_consent=True, phone=phone_parse("0612345600"))
    phone.goto("/login/")
    phone.locator("#id_username").fill("coord")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main form button").click()
    pass_second_factor(phone, "coord")
    phone.goto("/messages/broadcast/")
    phone.locator("#id_kind").select_option("urgent_notice")
    phone.locator("#id_text_en").fill("Storm tonight: the distribution moves to the hall.")
    phone.locator("#id_text_am").fill("ዛሬ ማታ ማዕበል።")
    expect(phone.locator("#preview table")).to_contain_text("ማዕበል", timeout=5000)

    # The switcher at the foot of the page (under the site's navigation bar on this screen).
    phone.locator("details.langs").evaluate("details => { details.open = true; }")
    phone.locator("details.langs button[value=ar]").evaluate("button => button.click()")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("#id_text_en")).to_have_value(
        "Storm tonight: the distribution moves to the hall."
    )
    expect(phone.locator("#id_text_am")).to_have_value("ዛሬ ማታ ማዕበል።")
    expect(phone.locator("#id_kind")).to_have_value("urgent_notice")

    phone.locator("label:has(#id_urgent)").click()
    expect(phone.locator("#id_urgent")).to_be_checked()
    phone.locator("button[name=confirm][value=preview]").click()
    phone.locator("button[name=confirm][value=send]").click()
    broadcast = Broadcast.objects.get()
    assert broadcast.urgent and broadcast.recipients == 1
    message = Message.objects.get()
    assert message.context == {"text": "ዛሬ ማታ ማዕበል።", "text_language": "am"}
    assert not message.respect_quiet_hours
