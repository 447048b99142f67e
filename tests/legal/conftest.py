"""Advisors, an interpreter and their weekly availability, a week from today."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from services.accounts.models import SpokenLanguage
from services.accounts.roles import Role
from services.legal.actions import SlotChoice, appointment_book
from services.legal.models import Appointment
from services.people.phones import phone_parse
from services.scheduling.actions import availability_add
from services.scheduling.grid import local_datetime
from tests.factories import PersonFactory


@pytest.fixture
def day():
    """A day a week ahead: every slot on it is in the future."""
    return timezone.localdate() + timedelta(days=7)


def speaks(user, *languages, level=SpokenLanguage.Level.FLUENT):
    for language in languages:
        SpokenLanguage.objects.create(user=user, language=language, level=level)
    return user


def weekly(user, role, day, start=time(9), end=time(12), site=None):
    return availability_add(
        actor=user, role=role, weekday=day.weekday(), start_time=start, end_time=end, site=site
    )


@pytest.fixture
def advisor(make_user, site, day):
    user = speaks(make_user(Role.LEGAL, "advisor"), "fr", "en")
    weekly(user, "advisor", day, site=site)
    return user


@pytest.fixture
def interpreter(make_user, site, day):
    user = speaks(make_user(Role.VOLUNTEER, "interpreter"), "ar", "fr")
    weekly(user, "interpreter", day, site=site)
    return user


@pytest.fixture
def person(site):
    return PersonFactory(
        home_site=site, phone=phone_parse("0612345678"), sms_consent=True, language="ar"
    )


def at(day, hour, minute=0):
    return local_datetime(day, time(hour, minute))


def choice(day, hour, advisor, interpreter=None, site=None, minute=0):
    return SlotChoice(
        at(day, hour, minute),
        advisor.pk,
        interpreter.pk if interpreter else None,
        site.pk if site else None,
    )


@pytest.fixture
def booked(advisor, interpreter, person, site, day):
    """An Arabic-speaking person booked at 10:00 with the advisor and the interpreter."""
    return appointment_book(
        actor=advisor,
        person=person,
        language="ar",
        slot=choice(day, 10, advisor, interpreter, site),
        case_type=Appointment.CaseType.DUBLIN,
        notes="Fingerprinted in Italy in March; brother in Leeds.",
    )
