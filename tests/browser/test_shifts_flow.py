"""
Shifts on a 360x740 phone, a real Chromium, the live server: a new volunteer joins and
takes a shift; a coordinator copies a week and fills a language gap from the board; the
team lead marks arrivals, in Arabic (right to left). No page scrolls sideways.
"""

import re
from datetime import datetime, time, timedelta
from unittest import mock

from django.utils import timezone
from playwright.sync_api import Page, expect

from services.accounts.actions import user_create
from services.accounts.models import Skill, SpokenLanguage, User
from services.accounts.roles import Role
from services.people.phones import phone_parse
from services.shifts.actions.plan import ShiftPlan
from services.shifts.actions.shifts import shift_create
from services.shifts.actions.signups import signup_create
from services.shifts.board import week_start
from services.shifts.models import Shift, SignUp

from .conftest import sign_in
from .test_onboarding_flow import NEW_PASSWORD, fits_the_phone, invitation_path

PASSWORD = "shift-browser-password-1"


def _plan(day, **kwargs) -> ShiftPlan:
    values = {
        "task": "distribution",
        "day": day,
        "start_time": time(14, 15),
        "end_time": time(16, 45),
        "people_needed": 3,
    }
    return ShiftPlan(**{**values, **kwargs})


def test_a_volunteer_accepts_an_invitation_signs_up_for_a_shift_and_sees_it_in_my_shifts(
    phone: Page, site, live_server
):
    path = invitation_path(site, live_server)
    coordinator = User.objects.get(username="coord")
    day = timezone.localdate() + timedelta(days=3)
    shift = shift_create(actor=coordinator, site=site, plan=_plan(day, languages={"ti": 1}))

    phone.goto(path)
    phone.get_by_label("User name").fill("amina")
    phone.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("Password again").fill(NEW_PASSWORD)
    phone.locator("input[name=email]").fill("amina@example.org")
    phone.get_by_role("radio", name="E-mail").check()
    phone.get_by_label("I arrive on").fill(timezone.localdate().isoformat())
    phone.get_by_label("I leave on").fill((day + timedelta(days=4)).isoformat())
    phone.get_by_label("ትግርኛ").select_option("native")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")

    phone.locator("main").get_by_role("link", name="My shifts").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My shifts")
    expect(phone.locator("main")).to_contain_text("You are on no shift yet.")
    phone.get_by_role("link", name="Find a shift").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Open shifts")
    offered = phone.locator("li.shift")
    expect(offered).to_have_count(1)
    expect(offered.locator(".mark.lacking")).to_have_text("Tigrinya")
    fits_the_phone(phone)
    offered.get_by_role("button", name="Sign up").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("My shifts")
    expect(phone.get_by_role("status")).to_contain_text("You are on it")
    mine = phone.locator("li.shift")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Distribution")
    expect(mine).to_contain_text(site.name)
    expect(mine.get_by_role("button", name="Withdraw")).to_be_visible()
    fits_the_phone(phone)
    assert SignUp.objects.get(shift=shift).user.username == "amina"


def test_a_coordinator_copies_a_week_and_fills_a_language_gap_from_the_board(phone: Page, site):
    coordinator = user_create(username="coord", password=PASSWORD, role=Role.COORDINATOR, site=site)
    source = week_start(timezone.localdate()) + timedelta(days=7)
    target = source + timedelta(days=7)
    for offset in range(5):
        shift_create(
            actor=coordinator,
            site=site,
            plan=_plan(source + timedelta(days=offset), languages={"ti": 1}),
        )
    shift_create(actor=coordinator, site=site, plan=_plan(target + timedelta(days=4)))
    tesfay = user_create(username="tesfay", password=PASSWORD, role=Role.VOLUNTEER, site=site)
    SpokenLanguage.objects.create(user=tesfay, language="ti", level="native")
    hands = user_create(username="aaron", password=PASSWORD, role=Role.VOLUNTEER, site=site)
    Skill.objects.create(user=hands, kind="kitchen")

    phone.goto(f"/shifts/board/?site={site.pk}&week={source.isoformat()}")
    sign_in(phone, "coord", PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Coverage board")
    expect(phone.locator("a.slot")).to_have_count(5)
    fits_the_phone(phone)
    phone.get_by_role("link", name="Copy a day or a week").click()
    expect(phone.get_by_label("From (any day of the week to copy)")).to_have_value(
        source.isoformat()
    )
    phone.get_by_label("To (any day of the week to fill)").fill(
        (target + timedelta(days=2)).isoformat()
    )
    fits_the_phone(phone)
    phone.get_by_role("button", name="Copy", exact=True).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Coverage board")
    notices = phone.get_by_role("status")
    expect(notices).to_contain_text("Shifts copied: 4.")
    expect(notices).to_contain_text("already has shifts: not copied.")
    expect(phone.locator("a.slot")).to_have_count(5)
    monday = phone.locator("a.slot").first
    expect(monday).to_contain_text("no Tigrinya speaker")
    fits_the_phone(phone)
    monday.click()

    candidates = phone.locator("ul.candidates li")
    expect(candidates.first).to_contain_text("tesfay")
    expect(candidates.first.locator(".mark.lacking")).to_have_text("Tigrinya")
    fits_the_phone(phone)
    candidates.first.get_by_role("button", name="Put on").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Coverage board")
    expect(phone.get_by_role("status")).to_contain_text("tesfay is on the shift.")
    expect(phone.locator("a.slot").first).not_to_contain_text("Tigrinya")
    filled = Shift.objects.filter(starts_at__date__gte=target).order_by("starts_at").first()
    assert filled is not None and filled.signups.get().user == tesfay


def _shift_on_now(site, coordinator) -> Shift:
    """A shift that began half an hour ago and ends later today (set up as if planned earlier)."""
    now = timezone.localtime()
    start = max(now - timedelta(minutes=30), now.replace(hour=0, minute=0))
    end = min(now + timedelta(hours=2), now.replace(hour=23, minute=59))
    planned_at = datetime.combine(now.date(), time.min, now.tzinfo) - timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=planned_at):
        return shift_create(
            actor=coordinator,
            site=site,
            plan=_plan(
                now.date(),
                start_time=start.time().replace(second=0, microsecond=0),
                end_time=end.time().replace(second=0, microsecond=0),
                languages={"ps": 1},
            ),
        )


def test_the_team_lead_marks_arrivals_in_arabic_right_to_left(phone: Page, site):
    coordinator = user_create(username="coord", password=PASSWORD, role=Role.COORDINATOR, site=site)
    lead = user_create(
        username="lead", password=PASSWORD, role=Role.VOLUNTEER, site=site, language="ar"
    )
    Skill.objects.create(user=lead, kind="team_lead")
    shift = _shift_on_now(site, coordinator)
    on_it = []
    for name, language in (("nawid", "ps"), ("amina", "ar")):
        user = user_create(username=name, password=PASSWORD, role=Role.VOLUNTEER, site=site)
        user.phone = phone_parse("+33612345678" if name == "nawid" else "+33698765432")
        user.save()
        SpokenLanguage.objects.create(user=user, language=language, level="native")
        with mock.patch("django.utils.timezone.now", return_value=shift.starts_at - timedelta(1)):
            on_it.append(signup_create(actor=user, shift=shift))

    phone.goto("/login/")
    sign_in(phone, "lead", PASSWORD)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.locator("main a[href='/shifts/today/']").click()
    expect(phone).to_have_url(re.compile(r"/shifts/today/$"))
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("section.roster li")).to_have_count(2)
    expect(phone.locator("a[href='tel:+33612345678']")).to_be_visible()
    expect(phone.locator(".languages-now li")).to_have_count(0)
    fits_the_phone(phone)

    nawid = on_it[0]
    phone.locator(f"form[action='/shifts/sign-ups/{nawid.pk}/arrived/'] button").click()
    expect(phone.locator("section.roster li.arrived")).to_have_count(1)
    expect(phone.locator(".languages-now li")).to_have_count(1)
    fits_the_phone(phone)
    nawid.refresh_from_db()
    assert nawid.arrived_at is not None and nawid.arrival_marked_by == lead

    # Tapped by mistake: the same place takes it back.
    phone.locator(f"form[action='/shifts/sign-ups/{nawid.pk}/arrived/'] button").click()
    expect(phone.locator("section.roster li.arrived")).to_have_count(0)
    nawid.refresh_from_db()
    assert nawid.arrived_at is None
