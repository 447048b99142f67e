"""
The booking offer on a 360x740 phone in Arabic (right to left): the next free slots with
an advisor and an interpreter for the person's language, at the site or by phone, the
language prefilled, one tap to hold one; and the audit log in words. With SCREENS_DIR
set (docs/screens/make_desk_screens.sh), the screens are saved there as PNG files.
"""

import os
import re
from datetime import time, timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from services.accounts.actions import user_create
from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.audit.actions import audit_record
from services.legal.models import Appointment
from services.people.phones import phone_parse
from services.scheduling.actions import availability_add
from services.scheduling.models import SlotHold

from ..factories import PersonFactory
from .conftest import PHONE_SCREEN, pass_second_factor

PASSWORD = "a-long-test-password-1"
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def _screen(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def _phone(browser: Browser, live_server, username: str) -> Page:
    context = browser.new_context(
        viewport=PHONE_SCREEN,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button").first.click()
    pass_second_factor(page, username)
    return page


def _available(user, role, day, start, end, site):
    availability_add(
        actor=user, role=role, weekday=day.weekday(), start_time=start, end_time=end, site=site
    )


def test_the_booking_offer_in_arabic_holds_a_slot_in_one_tap(browser, live_server, site):
    advisor = user_create(
        username="lucie", password=PASSWORD, role=Role.LEGAL, site=site, language="ar"
    )
    SpokenLanguage.objects.create(user=advisor, language="fr")
    in_room = user_create(username="yonas", password=PASSWORD, role=Role.VOLUNTEER, site=site)
    by_phone = user_create(username="farah", password=PASSWORD, role=Role.VOLUNTEER, site=site)
    for user in (in_room, by_phone):
        SpokenLanguage.objects.create(user=user, language="ti")
    day = timezone.localdate() + timedelta(days=2)
    _available(advisor, "advisor", day, time(9), time(11), site)
    _available(advisor, "advisor", day, time(14), time(16), None)
    _available(in_room, "interpreter", day, time(9), time(11), site)
    _available(by_phone, "interpreter", day, time(14), time(16), None)
    person = PersonFactory(
        home_site=site, name="Mehari", phone=phone_parse("0612345678"), language="ti"
    )

    page = _phone(browser, live_server, "lucie")
    page.goto(f"/legal/book/?code={person.code}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator("select[name=language]")).to_have_value("ti")  # from the person
    offers = page.locator(".offers button.slot")
    expect(offers).to_have_count(6)
    expect(offers.first).to_contain_text("yonas")
    expect(offers.last).to_contain_text("farah")
    expect(page.locator(".offers .by-phone")).to_have_count(3)
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    page.locator("select[name=case_type]").select_option("family_reunion_uk")
    page.locator(".offers").scroll_into_view_if_needed()
    _screen(page, "booking-offer-ar.png")

    offers.last.click()  # one tap: the slot by phone is held
    expect(page).to_have_url(re.compile(r"/legal/appointments/\d+/$"))
    appointment = Appointment.objects.get()
    assert (appointment.site, appointment.interpreter) == (None, by_phone)
    assert SlotHold.objects.filter(booking=appointment.booking).count() == 4
    page.context.close()


def test_the_audit_log_reads_in_words_on_a_phone(browser, live_server, site):
    amira = user_create(username="Amira", password=PASSWORD, role=Role.COORDINATOR, site=site)
    person = PersonFactory(home_site=site, code="C7K-2AB")
    audit_record(actor=amira, action="person.read", target=person)
    audit_record(actor=amira, action="person.attendance.read", target=person)
    audit_record(actor=amira, action="person.search", target=person)

    page = _phone(browser, live_server, "Amira")
    page.goto("/audit/")
    sentences = page.locator(".audit .said", has_text="C7K-2AB")
    expect(sentences).to_have_count(3)
    expect(sentences.first).to_have_text(
        re.compile(r"^Amira \(coordinator\) .*C7K-2AB.* at \d\d:\d\d$")
    )
    expect(
        page.get_by_text("Amira (coordinator) opened the record of C7K-2AB", exact=False)
    ).to_be_visible()
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    page.locator(".audit").scroll_into_view_if_needed()
    _screen(page, "audit-log-in-words.png")
    page.context.close()
