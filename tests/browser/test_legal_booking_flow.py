"""
A legal volunteer books advice for an Arabic-speaking person, with an interpreter, from
the person's page on a 360x740 phone, moves it half an hour later, and sees it on the
calendar. No page scrolls sideways.
"""

import re
from datetime import time, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.legal.models import Appointment
from services.messaging.models import Message
from services.people.phones import phone_parse
from services.scheduling.actions import availability_add

from ..factories import PersonFactory
from .conftest import sign_in

USERNAME, PASSWORD = "lucie", "legal-volunteer-pass-2024"
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def assert_fits_the_phone(page: Page) -> None:
    assert not page.evaluate(SCROLLS_SIDEWAYS), f"{page.url} scrolls sideways"


def test_legal_volunteer_books_an_appointment_with_an_interpreter(phone: Page, site):
    advisor = user_create(username=USERNAME, password=PASSWORD, role=Role.LEGAL, site=site)
    SpokenLanguage.objects.create(user=advisor, language="fr")
    interpreter = user_create(
        username="yonas-interpreter", password=PASSWORD, role=Role.VOLUNTEER, site=site
    )
    SpokenLanguage.objects.create(user=interpreter, language="ar")
    day = timezone.localdate() + timedelta(days=2)
    for user, role in ((advisor, "advisor"), (interpreter, "interpreter")):
        availability_add(
            actor=user,
            role=role,
            day=day,
            start_time=time(9),
            end_time=time(11),
            site=site,
        )
    person = PersonFactory(
        home_site=site, phone=phone_parse("0612345678"), sms_consent=True, language="ar"
    )

    phone.goto("/login/")
    sign_in(phone, USERNAME, PASSWORD)
    phone.goto(person.get_absolute_url())
    assert_fits_the_phone(phone)
    phone.locator(f'a[href="/legal/book/?code={person.code}"]').click()

    # The person is found by the code, the language defaults to theirs, slots are offered.
    expect(phone.locator("input[name=code]")).to_have_value(person.code)
    expect(phone.locator("select[name=language]")).to_have_value("ar")
    slots = phone.locator(".offers button.slot")
    expect(slots).to_have_count(3)
    expect(phone.locator(".offers")).to_contain_text("yonas-interpreter")
    assert_fits_the_phone(phone)
    phone.locator("select[name=case_type]").select_option("family_reunion_uk")
    phone.locator(".offer details summary").click()
    phone.locator("textarea[name=notes]").fill("Brother in Leeds.")
    slots.nth(1).click()  # one tap holds the time

    expect(phone).to_have_url(re.compile(r"/legal/appointments/\d+/$"))
    assert_fits_the_phone(phone)
    appointment = Appointment.objects.get()
    assert appointment.interpreter == interpreter and appointment.language == "ar"
    assert timezone.localtime(appointment.starts_at).time() == time(9, 30)
    assert (
        Message.objects.filter(idempotency_key__startswith=f"appointment:{appointment.pk}:").count()
        == 2
    )

    # Moved half an hour later from the appointment page: the reminders follow.
    phone.get_by_role("link", name="Move", exact=True).click()
    expect(phone.locator("input[name=slot]")).to_have_count(2)
    assert_fits_the_phone(phone)
    phone.locator(".slots label", has_text="10:00").click()
    phone.get_by_role("button", name="Move to this time").click()
    expect(phone).to_have_url(re.compile(rf"/legal/appointments/{appointment.pk}/$"))
    expect(phone.get_by_text("Appointment moved.")).to_be_visible()
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).time() == time(10)
    pending = Message.objects.filter(
        idempotency_key__startswith=f"appointment:{appointment.pk}:", status=Message.Status.PENDING
    )
    assert {m.context["time"] for m in pending} == {"10:00"} and pending.count() == 2

    phone.goto(f"/legal/calendar/?date={day.isoformat()}&view=week")
    expect(phone.locator(".day .code")).to_have_text(person.code)
    assert_fits_the_phone(phone)
    phone.goto("/legal/availability/")
    assert_fits_the_phone(phone)
