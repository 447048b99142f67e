"""
A coordinator on a phone, in Arabic: the donor report for their site, on a 360 px screen
and on paper (print CSS: one page, without the app's bars), and a file checked before
it is imported.
"""

import datetime
import uuid
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.roles import Role
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive
from services.distributions.models import DistributionSession, ItemType
from tests.factories import PersonFactory

from .conftest import PHONE_SCREEN, pass_second_factor

PASSWORD = "a-long-test-password-1"
DATA = Path(__file__).resolve().parent.parent / "data" / "imports"


def _served(coordinator, site) -> None:
    bag = ItemType.objects.create(name="Sleeping bag", category=ItemType.Category.BEDDING)
    stock_receive(
        actor=coordinator, site=site, item=bag, size="", quantity=20, donor="Northern Appeal"
    )
    session = session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate(),
        starts_at=datetime.time(0, 1),
        ends_at=datetime.time(23, 59),
        offers=[Offer(bag, [])],
    )
    session_set_status(actor=coordinator, session=session, status=DistributionSession.Status.OPEN)
    for _n in range(7):
        checkin_record(
            actor=coordinator,
            session_id=session.pk,
            person_code=PersonFactory(home_site=site).code,
            lines=[Line(item_id=bag.pk, size="", quantity=1)],
            client_uuid=uuid.uuid4(),
        )


def _sign_in_in_arabic(phone: Page, site) -> None:
    user_create(
        username="reports-coordinator",
        password=PASSWORD,
        role=Role.COORDINATOR,
        site=site,
        language="ar",
    )
    phone.set_default_timeout(20_000)
    phone.goto("/login/")
    phone.locator("input[name=username]").fill("reports-coordinator")
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.locator("main form button").click()
    pass_second_factor(phone, "reports-coordinator")


# What sticks out of the screen, to say which element widened the page.
WIDEST = """[...document.querySelectorAll('body *')].map(e => [e, e.getBoundingClientRect()])
  .filter(([e, box]) => box.right > 360 || box.left < 0)
  .map(([e, box]) => e.tagName + '.' + e.className + ' ' + box.left + '..' + box.right)"""


def _fits(phone: Page) -> None:
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_SCREEN["width"], phone.evaluate(WIDEST)


def test_the_donor_report_on_a_phone_in_arabic_and_on_paper(phone: Page, site):
    from services.accounts.models import User

    _sign_in_in_arabic(phone, site)
    _served(User.objects.get(username="reports-coordinator"), site)
    phone.goto("/reports/donor/")
    _fits(phone)
    today = timezone.localdate().isoformat()
    phone.locator("select[name=site]").select_option(str(site.pk))
    phone.locator("input[name=since]").fill(today)
    phone.locator("input[name=until]").fill(today)
    phone.locator("form.filters button").click()
    expect(phone.locator("article.report")).to_contain_text("Northern Appeal")
    expect(phone.locator(".report-figure")).to_have_text("7")
    _fits(phone)
    phone.emulate_media(media="print")
    assert not phone.locator("header.bar").is_visible()
    assert not phone.locator("form.filters").is_visible()
    expect(phone.locator("article.report")).to_be_visible()


def test_a_file_is_checked_row_by_row_before_it_is_imported(phone: Page, site):
    _sign_in_in_arabic(phone, site)
    phone.goto("/reports/import/")
    _fits(phone)
    phone.locator("select[name=kind]").select_option("people")
    phone.locator("input[name=file]").set_input_files(str(DATA / "people_duplicate_phones.csv"))
    phone.locator("main form button").click()
    expect(phone.locator(".import-rows li")).to_have_count(3)
    expect(phone.locator(".verb-refuse")).to_have_count(1)
    expect(phone.locator("button[value=import]")).to_have_count(0)  # nothing half-imported
    _fits(phone)


def test_the_export_page_shows_the_file_when_it_is_ready_without_reloading(phone: Page, site):
    from datetime import timedelta

    from services.accounts.models import User
    from services.reports.models import Build, Dataset, Export, FileFormat

    _sign_in_in_arabic(phone, site)
    today = timezone.localdate()
    export = Export.objects.create(
        dataset=Dataset.STOCK,
        file_format=FileFormat.XLSX,
        since=today,
        until=today,
        site_ids=[site.pk],
        outcome=Export.Outcome.MADE,
        requested_by=User.objects.get(username="reports-coordinator"),
        build=Build.BUILDING,
        rows_total=10,
        rows_done=3,
    )
    phone.goto(f"/reports/export/{export.pk}/")
    expect(phone.locator("progress.export-progress")).to_be_visible()
    phone.evaluate("window.notReloaded = true")
    Export.objects.filter(pk=export.pk).update(
        build=Build.READY, rows_done=10, expires_at=timezone.now() + timedelta(hours=1)
    )
    expect(phone.locator("#export-live a.button")).to_be_visible(timeout=10_000)
    expect(phone.locator("progress.export-progress")).to_have_count(0)
    assert phone.evaluate("window.notReloaded") is True  # put in place, not a reload
    _fits(phone)
