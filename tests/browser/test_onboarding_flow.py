"""
From invitation to a signed-in volunteer, and a coordinator's sign-in with the code
from their authenticator app: a 360x740 phone, a real Chromium, the live server.
"""

import re
from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.actions.invitations import invitation_create
from services.accounts.models import User
from services.accounts.roles import Role
from tests.conftest import totp_code

from .conftest import PHONE_SCREEN

COORDINATOR_PASSWORD = "coordinator-browser-password-1"
NEW_PASSWORD = "amina-joins-the-team-7"
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def invitation_path(site, live_server, **kwargs) -> str:
    coordinator = user_create(
        username="coord", password=COORDINATOR_PASSWORD, role=Role.COORDINATOR, site=site
    )
    invited = invitation_create(
        actor=coordinator,
        email="amina@example.org",
        role=Role.VOLUNTEER,
        sites=[site],
        base_url=live_server.url,
        **kwargs,
    )
    return invited.link.removeprefix(live_server.url)


def fits_the_phone(page: Page) -> None:
    assert not page.evaluate(SCROLLS_SIDEWAYS), f"{page.url} scrolls sideways"


def test_a_volunteer_accepts_an_invitation_and_lands_signed_in(phone: Page, site, live_server):
    phone.goto(invitation_path(site, live_server))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Join the team")
    fits_the_phone(phone)
    leaves = timezone.localdate() + timedelta(days=12)
    phone.get_by_label("User name").fill("amina")
    phone.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("Password again").fill(NEW_PASSWORD)
    phone.get_by_label("Phone").fill("+44 7911 123456")
    phone.get_by_role("radio", name="SMS").check()
    phone.get_by_label("I arrive on").fill(timezone.localdate().isoformat())
    phone.get_by_label("I leave on").fill(leaves.isoformat())
    phone.get_by_label("ትግርኛ").select_option("native")
    phone.get_by_label("Afaan Oromoo").select_option("working")
    phone.get_by_role("checkbox", name="First aid").check()
    phone.get_by_role("button", name="Join").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")
    expect(phone.get_by_role("status")).to_contain_text("Welcome! Your account is ready.")
    expect(phone.locator("header .who")).to_contain_text("amina")
    user = User.objects.get(username="amina")
    assert user.is_active and user.leaves_on == leaves and user.notify_by == "sms"
    assert dict(user.spoken_languages.values_list("language", "level")) == {
        "ti": "native",
        "om": "working",
    }

    phone.get_by_role("link", name="My profile").click()
    expect(phone.get_by_label("I leave on")).to_have_value(leaves.isoformat())
    fits_the_phone(phone)


def test_a_volunteer_accepts_an_invitation_in_arabic_right_to_left(phone: Page, site, live_server):
    phone.goto(invitation_path(site, live_server, language="ar"))
    phone.locator("details.langs summary").click()
    phone.get_by_role("button", name="العربية").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    fits_the_phone(phone)
    # By the fields' names: the page's words are Arabic (or English until translated).
    phone.locator("input[name=username]").fill("amina")
    phone.locator("input[name=password]").fill(NEW_PASSWORD)
    phone.locator("input[name=password2]").fill(NEW_PASSWORD)
    phone.locator("input[name=email]").fill("amina@example.org")
    phone.locator("input[name=notify_by][value=email]").check()
    phone.locator("select[name=language]").select_option("ar")
    phone.locator("select[name=spoken_ar]").select_option("fluent")
    phone.locator("main form button").click()

    expect(phone).to_have_url(re.compile(r"/$"))
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.locator("header .who")).to_contain_text("amina")
    fits_the_phone(phone)
    user = User.objects.get(username="amina")
    assert user.language == "ar" and user.spoken_languages.get().level == "fluent"


def test_a_coordinator_sets_up_then_signs_in_with_a_code_from_their_app(
    phone: Page, browser, site, live_server
):
    coordinator = user_create(
        username="coord", password=COORDINATOR_PASSWORD, role=Role.COORDINATOR, site=site
    )
    phone.goto("/sites/")
    phone.get_by_label("User name").fill("coord")
    phone.get_by_label("Password").fill(COORDINATOR_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    expect(
        phone.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    fits_the_phone(phone)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    phone.get_by_label("Code").fill(totp_code(device))
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(phone.locator("ul.codes li")).to_have_count(10)
    fits_the_phone(phone)
    phone.get_by_role("link", name="I have written them down").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sites")

    # Another phone, another day: password, then the code the app shows now.
    context = browser.new_context(
        viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, base_url=live_server.url
    )
    other = context.new_page()
    other.goto("/")
    other.get_by_label("User name").fill("coord")
    other.get_by_label("Password").fill(COORDINATOR_PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Second factor")
    other.get_by_label("Code").fill("000000")
    other.get_by_role("button", name="Continue").click()
    expect(other.locator(".error").first).to_contain_text("That code is not right")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no 1 s wait
    other.get_by_label("Code").fill(totp_code(device))
    other.get_by_role("button", name="Continue").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Today")
    context.close()
