"""
A medical volunteer, with the interface in Arabic (right to left), refers a person
from their page and books the appointment with a Tigrinya interpreter, on a 360x740
phone. Controls are found by name, not by label, so the test holds once the new
strings are translated.
"""

import re
from datetime import time

from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.messaging.models import Message
from services.partners.models import Area, Partner, PartnerService
from services.people.phones import phone_parse
from services.referrals.models import Referral
from services.scheduling.actions import availability_add

from ..factories import PersonFactory
from .conftest import sign_in

USERNAME, PASSWORD = "samira", "medical-volunteer-pass-2024"
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def assert_fits_the_phone(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert not page.evaluate(SCROLLS_SIDEWAYS), f"{page.url} scrolls sideways"


def test_medical_volunteer_in_arabic_refers_a_person_and_books_the_appointment(phone: Page, site):
    user_create(username=USERNAME, password=PASSWORD, role=Role.MEDICAL, site=site, language="ar")
    partner = Partner.objects.create(
        name="PASS Calais", kind=Partner.Kind.PASS, sms_place="Rue Leveux 11"
    )
    service = PartnerService.objects.create(
        partner=partner, name="General medicine", area=Area.MEDICAL
    )
    person = PersonFactory(
        home_site=site, phone=phone_parse("0612345678"), sms_consent=True, language="ti"
    )
    interpreter = user_create(username="tesfay", password=PASSWORD, role=Role.VOLUNTEER, site=site)
    SpokenLanguage.objects.create(user=interpreter, language="ti", level="native")
    availability_add(  # by phone, every Wednesday (2099-03-04 is one)
        actor=interpreter,
        role="interpreter",
        weekday=2,
        start_time=time(8),
        end_time=time(18),
        site=None,
    )

    phone.goto("/login/")
    sign_in(phone, USERNAME, PASSWORD)
    phone.goto(person.get_absolute_url())
    assert_fits_the_phone(phone)
    phone.locator(f'a[href="/referrals/new/{person.code}/"]').click()

    expect(phone.locator("h1 .code")).to_have_text(person.code)
    assert_fits_the_phone(phone)
    phone.locator("select[name=service]").select_option(str(service.pk))
    phone.locator("input[name=urgency][value=urgent]").check()
    phone.locator("select[name=reason_category]").select_option("wound")
    phone.locator("textarea[name=clinical_notes]").fill("جرح في القدم اليسرى")
    phone.locator("select[name=interpreter_language]").select_option("ti")
    phone.locator("input[name=consent]").check()
    phone.locator("button[name=refer][value='1']").click()

    expect(phone).to_have_url(re.compile(r"/referrals/\d+/$"))
    assert_fits_the_phone(phone)
    expect(phone.locator("main")).to_contain_text("جرح في القدم اليسرى")
    referral = Referral.objects.get()
    assert (referral.status, referral.consent_to_share) == ("referred", True)

    phone.locator(f'a[href="/referrals/{referral.pk}/book/"]').click()
    assert_fits_the_phone(phone)
    phone.locator("input[name=date]").fill("2099-03-04")
    phone.locator("input[name=time]").fill("09:30")
    phone.locator("button[name=find]").click()
    assert_fits_the_phone(phone)
    phone.locator(f"input[name=interpreter][value='{interpreter.pk}']").check()
    phone.locator("button[name=book]").click()

    expect(phone).to_have_url(re.compile(rf"/referrals/{referral.pk}/$"))
    expect(phone.locator("main")).to_contain_text("Rue Leveux 11")
    assert_fits_the_phone(phone)
    referral.refresh_from_db()
    assert (referral.status, referral.appointment_place) == ("booked", "Rue Leveux 11")
    assert (referral.interpreter, referral.interpreter_booking.holds.count()) == (interpreter, 2)
    reminders = Message.objects.filter(idempotency_key__startswith=f"referral:{referral.pk}:")
    assert sorted(m.language for m in reminders) == ["ti", "ti"]
