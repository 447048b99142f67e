"""
An interpreter booked with a medical appointment: who is offered, the holds that keep
them from being booked twice (with legal appointments too), and how they follow the
referral through rescheduling and closing.
"""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import SpokenLanguage
from services.audit.models import AuditEntry
from services.legal.actions import SlotChoice, appointment_book
from services.legal.models import Appointment
from services.referrals.actions.workflow import (
    referral_attended,
    referral_book,
    referral_close,
    referral_decline,
    referral_missed,
)
from services.referrals.models import Referral, ReferralEvent
from services.referrals.selectors import referral_interpreters_free
from services.scheduling.grid import cells
from services.scheduling.models import SlotHold
from services.scheduling.slots import slots_offer

from .conftest import in_days
from .interpreting import available, interpreter_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def when():
    """10:30 local, three days ahead: the appointment takes the 10:30 and 11:00 cells."""
    return in_days(3)


@pytest.fixture
def amira(make_user, when):
    user = interpreter_for(make_user, "amira", "ar")
    available(user, when.date())
    return user


def cells_of(user):
    return sorted(SlotHold.objects.filter(user=user).values_list("starts_at", flat=True))


def free(referral, when):
    return [user.username for user in referral_interpreters_free(referral=referral, starts_at=when)]


# Who is offered


def test_only_fluent_or_native_speakers_with_phone_availability_are_offered(
    make_user, referral, when, amira, site
):
    native = interpreter_for(make_user, "nadia", "ar", level=SpokenLanguage.Level.NATIVE)
    available(native, when.date())
    basic = interpreter_for(make_user, "basil", "ar", level=SpokenLanguage.Level.BASIC)
    available(basic, when.date())
    other_language = interpreter_for(make_user, "tesfay", "ti")
    available(other_language, when.date())
    not_that_day = interpreter_for(make_user, "dina", "ar")
    available(not_that_day, when.date() + timedelta(days=1))
    too_short = interpreter_for(make_user, "hana", "ar")
    available(too_short, when.date(), start=time(9), end=time(11))
    at_a_site = interpreter_for(make_user, "samir", "ar")
    available(at_a_site, when.date(), site=site)

    assert free(referral, when) == ["amira", "nadia"]


def test_an_interpreter_held_by_a_legal_appointment_is_not_offered(
    make_user, referral, when, amira, person, site
):
    advisor = make_user("legal", "advisor")
    SpokenLanguage.objects.create(user=advisor, language="fr", level="native")
    available_advisor = {"role": "advisor", "weekday": when.weekday(), "site": site}
    from services.scheduling.actions import availability_add

    availability_add(actor=advisor, start_time=time(8), end_time=time(18), **available_advisor)
    # A legal appointment 11:00-12:00 by the same interpreter overlaps 10:30-11:30.
    appointment_book(
        actor=advisor,
        person=person,
        language="ar",
        slot=SlotChoice(when.replace(hour=11, minute=0), advisor.pk, amira.pk, site.pk),
        case_type=Appointment.CaseType.OTHER,
    )
    assert free(referral, when) == []
    assert free(referral, when - timedelta(hours=1)) == ["amira"]


def test_an_interpreter_held_by_another_referral_is_not_offered(
    make_referral, medical, referral, when, amira
):
    other = make_referral()
    referral_book(actor=medical, referral=other, starts_at=when, interpreter=amira)
    assert free(referral, when) == []
    assert free(referral, when + timedelta(hours=1)) == ["amira"]
    assert free(other, when) == ["amira"], "a referral's own holds count as free when moving"


def test_a_referral_that_needs_no_interpreter_offers_none(make_referral, when, amira):
    assert free(make_referral(interpreter_language=""), when) == []


# Booking


def test_booking_with_an_interpreter_holds_the_cells_the_appointment_touches(
    medical, referral, amira
):
    starts_at = in_days(3).replace(minute=15)  # 10:15-11:15 touches 10:00, 10:30, 11:00
    booked = referral_book(actor=medical, referral=referral, starts_at=starts_at, interpreter=amira)

    assert booked.interpreter == amira
    assert cells_of(amira) == cells(starts_at, starts_at + timedelta(hours=1))
    assert [timezone.localtime(cell).strftime("%H:%M") for cell in cells_of(amira)] == [
        "10:00",
        "10:30",
        "11:00",
    ]
    event = booked.events.last()
    assert (event.status, event.interpreter) == ("booked", amira)
    entry = AuditEntry.objects.get(action="referral.status.booked", target_id=str(booked.pk))
    assert entry.details["interpreter"] == amira.pk
    assert "interpreter" in entry.details["fields"]


def test_a_taken_interpreter_is_a_409_and_nothing_is_written(
    make_referral, medical, referral, when, amira
):
    first = make_referral()
    referral_book(actor=medical, referral=first, starts_at=when, interpreter=amira)
    events, audits = ReferralEvent.objects.count(), AuditEntry.objects.count()

    with pytest.raises(Conflict) as refused:
        referral_book(
            actor=medical,
            referral=referral,
            starts_at=when + timedelta(minutes=30),
            interpreter=amira,
        )

    assert refused.value.status_code == 409 and refused.value.field == "interpreter"
    referral.refresh_from_db()
    assert (referral.status, referral.appointment_at, referral.interpreter) == (
        "referred",
        None,
        None,
    )
    assert SlotHold.objects.filter(booking__referral=referral).count() == 0
    assert (ReferralEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)


def test_an_interpreter_without_phone_availability_then_is_refused(
    make_user, medical, referral, when
):
    busy_elsewhere = interpreter_for(make_user, "omar", "ar")
    with pytest.raises(DomainError) as refused:
        referral_book(actor=medical, referral=referral, starts_at=when, interpreter=busy_elsewhere)
    assert refused.value.code == "not_offered" and refused.value.status_code == 400
    assert not SlotHold.objects.exists()


def test_a_referral_without_an_interpreter_language_cannot_take_one(
    make_referral, medical, when, amira
):
    referral = make_referral(interpreter_language="")
    with pytest.raises(DomainError) as refused:
        referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    assert refused.value.code == "not_needed"


def test_only_the_medical_role_books_an_interpreter(volunteer, coordinator, referral, when, amira):
    from django.core.exceptions import PermissionDenied

    for who in (volunteer, coordinator, amira):
        with pytest.raises(PermissionDenied):
            referral_book(actor=who, referral=referral, starts_at=when, interpreter=amira)
    assert not SlotHold.objects.exists()


# Rescheduling and closing


def test_rescheduling_moves_the_holds_with_the_same_interpreter(medical, referral, when, amira):
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    later = when + timedelta(hours=3)

    moved = referral_book(actor=medical, referral=referral, starts_at=later)

    assert moved.interpreter == amira
    assert cells_of(amira) == cells(later, later + timedelta(hours=1))


def test_rescheduling_by_half_an_hour_overlapping_its_own_holds_works(
    medical, referral, when, amira
):
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    later = when + timedelta(minutes=30)
    referral = referral_book(actor=medical, referral=referral, starts_at=later)
    assert cells_of(amira) == cells(later, later + timedelta(hours=1))


def test_rescheduling_to_a_time_the_interpreter_is_taken_is_a_409_and_keeps_the_old_booking(
    make_referral, medical, referral, when, amira
):
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    later = when + timedelta(hours=3)
    referral_book(actor=medical, referral=make_referral(), starts_at=later, interpreter=amira)

    with pytest.raises(Conflict):
        referral_book(actor=medical, referral=referral, starts_at=later)

    referral.refresh_from_db()
    assert (referral.appointment_at, referral.interpreter) == (when, amira)
    assert SlotHold.objects.filter(booking__referral=referral).count() == 2


def test_rescheduling_can_switch_to_another_interpreter_or_none(
    make_user, medical, referral, when, amira
):
    nadia = interpreter_for(make_user, "nadia", "ar")
    available(nadia, when.date())
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)

    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=nadia)
    assert (cells_of(amira), len(cells_of(nadia))) == ([], 2)

    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=None)
    assert (referral.interpreter, SlotHold.objects.count()) == (None, 0)
    steps = list(
        referral.events.filter(status="booked").values_list("interpreter__username", flat=True)
    )
    assert steps == ["amira", "nadia", None]


@pytest.mark.parametrize("step", ["declined", "closed"])
def test_calling_the_appointment_off_frees_the_interpreter(step, medical, referral, when, amira):
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    if step == "declined":
        referral = referral_decline(actor=medical, referral=referral, reason="changed their mind")
    else:
        referral = referral_close(actor=medical, referral=referral)

    assert (referral.interpreter, SlotHold.objects.count()) == (None, 0)
    assert referral.events.last().interpreter is None
    entry = AuditEntry.objects.get(action=f"referral.status.{step}", target_id=str(referral.pk))
    assert entry.details["interpreter"] is None and "interpreter" in entry.details["fields"]
    assert "changed" not in str(entry.details)


@pytest.mark.parametrize("step", ["attended", "missed"])
def test_after_the_appointment_the_holds_go_and_the_interpreter_stays_on_record(
    step, medical, referral, when, amira
):
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    Referral.objects.filter(pk=referral.pk).update(
        appointment_at=timezone.now() - timedelta(hours=2)
    )
    if step == "attended":
        referral = referral_attended(actor=medical, referral=referral)
    else:
        referral = referral_missed(actor=medical, referral=referral, reason="phone off")

    assert (referral.interpreter, SlotHold.objects.count()) == (amira, 0)


def test_legal_slots_see_an_interpreter_held_for_a_medical_appointment_as_busy(
    make_user, medical, referral, when, amira, site
):
    advisor = make_user("legal", "advisor")  # speaks no Arabic: needs an interpreter
    from services.scheduling.actions import availability_add

    availability_add(
        actor=advisor,
        role="advisor",
        weekday=when.weekday(),
        start_time=time(10),
        end_time=time(12),
        site=site,
    )

    def starts():
        offered = slots_offer(language="ar", first=when.date(), days=1)
        return [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in offered]

    assert starts() == ["10:00", "10:30", "11:00"]
    referral = referral_book(actor=medical, referral=referral, starts_at=when, interpreter=amira)
    assert starts() == [], "10:30-11:30 held: no legal hour from 10:00 to 12:00 is free"
