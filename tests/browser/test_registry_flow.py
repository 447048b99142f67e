"""
The registry as a volunteer uses it: a 360x740 phone, a real Chromium, the live server.
"""

import re

from playwright.sync_api import Page, expect

from services.people.models import Person

from ..factories import PersonFactory
from .conftest import VOLUNTEER_PASSWORD, VOLUNTEER_USERNAME, sign_in

CARD_CODE = re.compile(r"^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
SCREEN_MIDDLE = 180
PHONE_ERROR = (
    "This is not a phone number we can send to. Check the digits, or add the country code (+44 …)."
)
NAME_ERROR = "Use at most 60 characters for the name."
SHARED_PHONE_BOX = "This is a different person who shares the phone"

TOUCH_TARGET_SHORTFALLS = """
() => {
  const short = [];
  const controls = 'button, a.button, input:not([type=hidden]), select';
  for (const control of document.querySelectorAll(controls)) {
    if (!control.checkVisibility()) continue;
    const isTick = control.matches('input[type=checkbox], input[type=radio]');
    const target = isTick ? control.closest('label') : control;
    const height = (target || control).getBoundingClientRect().height;
    if (!target || height < 44) {
      const what = target ? '' : ' (not inside a label)';
      short.push(`${control.outerHTML.slice(0, 90)}${what}: ${height.toFixed(1)}px`);
    }
  }
  return short;
}
"""


def fill_person_form(page: Page, *, name: str, phone: str, language: str) -> None:
    page.get_by_label("First name or nickname").fill(name)
    page.get_by_label("Phone", exact=True).fill(phone)
    page.get_by_role("radio", name=language).check()


def card_code_on_person_page(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/people/[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}/$"))
    code = page.locator("h1 .code").inner_text().strip()
    assert CARD_CODE.match(code), f"{code!r} is not a card code"
    return code


def open_language_menu(page: Page) -> None:
    page.locator("footer details.langs > summary").click()


def test_volunteer_logs_in_registers_a_person_and_finds_them_by_phone_in_another_format(
    phone: Page, volunteer
):
    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/login/\?next=/$"))
    sign_in(phone, VOLUNTEER_USERNAME, VOLUNTEER_PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")

    phone.get_by_role("link", name="Register a person").click()
    fill_person_form(phone, name="Yonas", phone="06 12 34 56 78", language="العربية")
    phone.get_by_role("checkbox", name="The person agrees to receive SMS reminders").check()
    phone.get_by_role("button", name="Register", exact=True).click()

    code = card_code_on_person_page(phone)
    expect(phone.get_by_role("status")).to_contain_text(f"Card code: {code}")
    facts = phone.locator("dl.facts")
    expect(facts).to_contain_text("Yonas")
    expect(facts).to_contain_text("+33 6 12 34 56 78")
    expect(facts).to_contain_text("العربية")
    person = Person.objects.get(code=code)
    assert (person.language, person.sms_consent, str(person.phone)) == ("ar", True, "+33612345678")

    phone.get_by_role("link", name="fieldapp").click()
    phone.get_by_label("Find a person: card code, name or phone").fill("+33 6 12 34 56 78")
    phone.get_by_role("button", name="Find").click()

    expect(phone.locator(".code", has_text=code).first).to_be_visible()


def test_phone_already_registered_shows_warning_with_link(signed_in: Page):
    page = signed_in
    page.goto("/people/new/")
    fill_person_form(page, name="Samir", phone="06 12 34 56 78", language="العربية")
    page.get_by_role("button", name="Register", exact=True).click()
    first_code = card_code_on_person_page(page)

    page.goto("/people/new/")
    fill_person_form(page, name="Hassan", phone="+33 612 345 678", language="English")
    page.get_by_role("button", name="Register", exact=True).click()

    warning = page.locator(".warning.box")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("This phone number is already on another person's record")
    link = warning.get_by_role("link", name=re.compile(re.escape(first_code)))
    expect(link).to_have_attribute("href", f"/people/{first_code}/")
    assert Person.objects.count() == 1

    page.get_by_label(SHARED_PHONE_BOX).check()
    page.get_by_role("button", name="Register", exact=True).click()

    second_code = card_code_on_person_page(page)
    assert second_code != first_code
    assert Person.objects.count() == 2
    second = Person.objects.get(code=second_code)
    assert second.name == "Hassan"
    assert str(second.phone) == str(Person.objects.get(code=first_code).phone) == "+33612345678"


def test_switching_to_arabic_turns_the_page_right_to_left(signed_in: Page):
    page = signed_in
    brand = page.get_by_role("link", name="fieldapp")
    english_box = brand.bounding_box()
    assert english_box is not None and english_box["x"] < SCREEN_MIDDLE

    open_language_menu(page)
    page.get_by_role("button", name="العربية").click()

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    arabic_heading = page.get_by_role("heading", level=1).inner_text()
    arabic_box = brand.bounding_box()
    assert arabic_box is not None and arabic_box["x"] > SCREEN_MIDDLE, arabic_box

    page.reload()
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")

    open_language_menu(page)
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")

    # Checked last so that a missing catalogue does not hide the checks above.
    assert arabic_heading != "Today" and ARABIC_SCRIPT.search(arabic_heading), (
        f"The Arabic home page says {arabic_heading!r}: is locale/ar translated and compiled?"
    )


def test_bad_input_keeps_what_was_typed(signed_in: Page):
    page = signed_in
    long_name = "Abdulrahman Mohammed Abdelkader Ahmed Ibrahim Osman Suleiman Idris"
    assert len(long_name) > 60
    page.goto("/people/new/")
    name_input = page.get_by_label("First name or nickname")
    # The maxlength attribute only guards browsers that honour it; the server must too.
    name_input.evaluate("input => input.removeAttribute('maxlength')")
    fill_person_form(page, name=long_name, phone="12", language="العربية")
    page.get_by_role("button", name="Register", exact=True).click()

    phone_field = page.locator(".field.has-error", has=page.locator("#id_phone"))
    expect(phone_field.locator(".error")).to_have_text(PHONE_ERROR)
    expect(page.get_by_label("Phone", exact=True)).to_have_value("12")
    expect(name_input).to_have_value(long_name)
    expect(page.get_by_role("radio", name="العربية")).to_be_checked()
    assert Person.objects.count() == 0
    # Both mistakes at once: a volunteer on a weak connection should not need two round trips.
    name_field = page.locator(".field.has-error", has=page.locator("#id_name"))
    expect(name_field.locator(".error")).to_have_text(NAME_ERROR)


def test_touch_targets_are_at_least_44px(signed_in: Page, site):
    PersonFactory(name="Samir", phone="+33612345678", home_site=site)
    page = signed_in
    short: dict[str, list[str]] = {}
    for path in ("/", "/people/new/", "/people/"):
        page.goto(path)
        open_language_menu(page)
        short[path] = page.evaluate(TOUCH_TARGET_SHORTFALLS)

    # The person form as it comes back when the phone is already on someone's record.
    page.goto("/people/new/")
    fill_person_form(page, name="Hassan", phone="06 12 34 56 78", language="English")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".warning.box")).to_be_visible()
    short["/people/new/ (phone already registered)"] = page.evaluate(TOUCH_TARGET_SHORTFALLS)

    assert {where: found for where, found in short.items() if found} == {}


def test_volunteer_opening_admin_gets_the_refusal_page_not_the_admin(signed_in: Page):
    page = signed_in
    response = page.goto("/admin/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not for your role")
    expect(page.locator("#site-name, #content-main, #user-tools")).to_have_count(0)
