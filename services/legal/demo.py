"""
Demo legal advice: two advisors, an interpreter (at the camp, and by phone on weekday
afternoons, for the legal advice by phone and the clinics), weekly availability and two bookings;
and, while `make demo` runs, a reminder of the next booking every minute or so, so that
the console shows SMS reminders going out.
"""

import secrets
from datetime import time, timedelta

from django.utils import timezone

from services.accounts.demo_passwords import demo_user_create
from services.accounts.models import SpokenLanguage, User
from services.accounts.roles import Role
from services.messaging.actions.schedule import MessageCause, message_schedule, person_can_receive
from services.messaging.models import Cause, Message
from services.messaging.sms_templates import Kind
from services.people.models import Person
from services.scheduling.actions import availability_add
from services.scheduling.models import Availability
from services.scheduling.reminders import reminder_context
from services.scheduling.slots import slots_offer
from services.sites.models import Site

from .actions import SlotChoice, appointment_book
from .models import Appointment
from .reminders import reminder_place

# username, role, languages; the "legal" demo account advises in French and English.
DEMO_HELPERS = [
    ("advisor2", Role.LEGAL, ["fr", "ar"]),
    ("interpreter", Role.VOLUNTEER, ["ti", "am", "fr"]),
]


def _speaks(user: User, languages: list[str]) -> None:
    for language in languages:
        SpokenLanguage.objects.get_or_create(user=user, language=language)


def demo_legal(camp: Site) -> dict[str, str]:
    """Once only (skipped if any availability exists). Returns the new accounts' passwords."""
    if Availability.objects.exists():
        return {}
    passwords: dict[str, str] = {}
    advisor = User.objects.get(username=Role.LEGAL.value)
    _speaks(advisor, ["fr", "en"])
    people = [advisor]
    for username, role, languages in DEMO_HELPERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            passwords[username] = secrets.token_urlsafe(9)
            user = demo_user_create(
                username=username, password=passwords[username], role=role, site=camp
            )
        _speaks(user, languages)
        people.append(user)
    advisor2, interpreter = people[1], people[2]
    for weekday in (1, 3):  # Tuesday and Thursday mornings at the camp
        availability_add(
            actor=advisor,
            role="advisor",
            weekday=weekday,
            start_time=time(9),
            end_time=time(12),
            site=camp,
        )
        availability_add(
            actor=interpreter,
            role="interpreter",
            weekday=weekday,
            start_time=time(9),
            end_time=time(12),
            site=camp,
        )
    for weekday in range(5):  # by phone every weekday afternoon
        availability_add(
            actor=interpreter,
            role="interpreter",
            weekday=weekday,
            start_time=time(14),
            end_time=time(17),
            site=None,
        )
    availability_add(  # by phone on Wednesday afternoons
        actor=advisor2,
        role="advisor",
        weekday=2,
        start_time=time(14),
        end_time=time(17),
        site=None,
    )
    _demo_bookings(advisor)
    return passwords


def _demo_bookings(advisor: User) -> None:
    first = timezone.localdate() + timedelta(days=1)
    for language, case_type in (
        ("ti", Appointment.CaseType.FAMILY_REUNION_UK),
        ("fr", Appointment.CaseType.ASYLUM_FRANCE),
    ):
        person = Person.objects.filter(language=language, sms_consent=True).first()
        slots = slots_offer(language=language, first=first, days=7)
        if person is None or not slots:
            continue
        slot = slots[0]
        appointment_book(
            actor=advisor,
            person=person,
            language=language,
            slot=SlotChoice.parse(slot.key),
            case_type=case_type,
            notes="Demo notes: what the person told us, for the advisor only.",
        )


def demo_reminder_send() -> Message | None:
    """
    A reminder of the next booked appointment whose person takes SMS, due now, day and
    night (the demo's numbers are made up): beat queues this, the worker puts it in the
    outbox, and the dispatch sends it through the SMS backend, the console's in the demo.
    None when no appointment is ahead.
    """
    now = timezone.now()
    upcoming = (
        Appointment.objects.filter(
            starts_at__gt=now,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.CONFIRMED],
        )
        .select_related("person", "site")
        .order_by("starts_at")
    )
    appointment = next((a for a in upcoming if person_can_receive(a.person)), None)
    if appointment is None:
        return None
    context = reminder_context(
        starts_at=appointment.starts_at,
        place=reminder_place(appointment),
    )
    return message_schedule(
        key=f"demo:appointment:{appointment.pk}:reminder@{now:%Y%m%dT%H%M%S}",
        kind=Kind.APPOINTMENT_REMINDER,
        person=appointment.person,
        cause=MessageCause(Cause.APPOINTMENT, appointment.pk, appointment.starts_at),
        context=context,
        respect_quiet_hours=False,
    )
