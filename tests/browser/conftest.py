"""
Browser tests: a real Chromium, driven by Playwright, against pytest-django's live server.

Every test here runs on a phone-sized screen (the `phone` fixture) and is marked
`browser`, so `pytest -m "not browser"` leaves them out.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from services.accounts.actions import user_create
from services.accounts.actions.second_factor import totp_confirmed
from services.accounts.models import User
from services.accounts.roles import Role
from services.accounts.rules import needs_second_factor
from tests.conftest import totp_code

from .axe import assert_accessible_in_english_and_arabic
from .chromium import ChromiumMissing, chromium_find

# Playwright's sync API runs an asyncio loop in the test thread; without this, every ORM
# call from a test (fixtures, assertions on the database) raises SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PHONE_SCREEN = {"width": 360, "height": 740}
VOLUNTEER_USERNAME = "amina"
VOLUNTEER_PASSWORD = "field-volunteer-pass-2024"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _translations_compiled() -> bool:
    for locale_dir in settings.LOCALE_PATHS:
        for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                return False
    return True


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """The .mo files are build output (`make messages`); compile them if missing or stale."""
    if _translations_compiled():
        return
    call_command("compiletranslations")
    from django.utils.translation.reloader import translation_file_changed

    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, or the whole run stops with one line: a browser test is never skipped."""
    try:
        path = chromium_find()
    except ChromiumMissing as missing:
        pytest.exit(str(missing), returncode=1)
    if path is None:
        pytest.exit(
            "The browser tests need Chromium: `make test` installs it, or run "
            "`python -m tests.browser.chromium`.",
            returncode=1,
        )
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {path} did not start: {error}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def phone(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A fresh page on a 360x740 touch phone, in English, pointed at the live server."""
    context = browser.new_context(
        viewport=PHONE_SCREEN,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        base_url=live_server.url,
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    try:
        # Every browser test ends with axe on the page it reached, in English and Arabic.
        assert_accessible_in_english_and_arabic(page, live_server.url)
    finally:
        context.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Sign-in still checks the real password, without 0.6 s of PBKDF2 per hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def volunteer(transactional_db, site):
    return user_create(
        username=VOLUNTEER_USERNAME,
        password=VOLUNTEER_PASSWORD,
        role=Role.VOLUNTEER,
        site=site,
    )


def sign_in(page: Page, username: str, password: str) -> None:
    """Fill the real sign-in form, as a volunteer does (and the second factor's, if asked)."""
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, username)


def pass_second_factor(page: Page, username: str) -> None:
    """
    For a role that needs one, what the person does after their password, whatever the
    page's language: the first time, scan (here: read the device) and type the app's
    code, then go on from the recovery codes; later, type the code. Nothing for a
    volunteer.
    """
    user = User.objects.get(username=username)
    if not needs_second_factor(user):
        return
    page.wait_for_url(re.compile(r"/account/two-factor/"))
    first_time = "/setup/" in page.url
    device = (
        TOTPDevice.objects.get(user=user, confirmed=False) if first_time else totp_confirmed(user)
    )
    assert device is not None
    page.locator("input[name=token]").fill(totp_code(device))
    page.locator("main form button").click()
    if first_time:
        page.locator("main a.button").click()  # "I have written them down"
    page.wait_for_url(lambda url: "/account/two-factor/" not in url)


@pytest.fixture
def signed_in(phone: Page, volunteer) -> Page:
    """
    The phone, with the volunteer signed in through /login/ and on the home page (where
    a distribution is open today, sign-in lands on its check-in: the test goes home).
    """
    phone.goto("/login/")
    sign_in(phone, VOLUNTEER_USERNAME, VOLUNTEER_PASSWORD)
    phone.wait_for_url(lambda url: "/login/" not in url)
    if "/checkin/" in phone.url:
        phone.goto("/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")
    return phone
