"""
A site with a coordinator and volunteers who speak languages and bring skills, and a
distribution shift a week ahead (14:15-16:45, as in Calais) planned through the actions.
"""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from services.accounts.models import Channel, Skill, SpokenLanguage
from services.accounts.roles import Role
from services.people.phones import phone_parse
from services.shifts.actions.plan import ShiftPlan
from services.shifts.actions.shifts import shift_create
from tests.factories import SiteFactory
from tests.messaging.conftest import twilio_settings, twilio_stub  # noqa: F401 - fixtures

START, END = time(14, 15), time(16, 45)


@pytest.fixture
def day() -> date:
    """A Tuesday more than a week ahead: every shift on it is in the future."""
    today = timezone.localdate()
    return today + timedelta(days=8 + (1 - (today + timedelta(days=8)).weekday()) % 7)


def plan(day: date, **kwargs) -> ShiftPlan:
    values = {
        "task": "distribution",
        "day": day,
        "start_time": START,
        "end_time": END,
        "people_needed": 3,
    }
    return ShiftPlan(**{**values, **kwargs})


def volunteer_on(
    make_user, username, *, speaks=None, skills=(), phone="", language="en", site=None, **stay
):
    """A volunteer with languages ({code: level}), skills, a phone or e-mail, a stay."""
    user = make_user(Role.VOLUNTEER, username)
    for code, level in (speaks or {}).items():
        SpokenLanguage.objects.create(user=user, language=code, level=level)
    for kind in skills:
        Skill.objects.create(user=user, kind=kind)
    user.email = f"{username}@example.org"
    user.language = language
    if phone:
        user.phone = phone_parse(phone)
        user.notify_by = Channel.SMS
    for name, value in stay.items():
        setattr(user, name, value)
    user.save()
    if site is not None:
        user.sites.add(site)
    return user


@pytest.fixture
def other_site(db):
    return SiteFactory(name="Grande-Synthe – Puythouck")


@pytest.fixture
def shift(coordinator, site, day):
    return shift_create(
        actor=coordinator,
        site=site,
        plan=plan(day, skills={"driver": 1}, languages={"ti": 1}),
    )
