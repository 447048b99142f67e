"""
A database migrated from before services/scheduling existed keeps its rows: every
availability, calendar feed and hold is there afterwards, each hold on the booking of
the appointment or the referral that held it, and the one-cell-per-person rule still
holds. Undone, the holds go back where they were.
"""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("legal", "0002_slot_hold_for_referrals"),
    ("referrals", "0002_interpreter"),
    ("scheduling", None),
]
AFTER = [
    ("legal", "0005_scheduling_owns_the_time"),
    ("referrals", "0003_interpreter_booking"),
    ("scheduling", "0001_initial"),
]


def _old_world(apps):
    """Rows as the old schema had them: legal owned availability, feeds and all holds."""
    User = apps.get_model("accounts", "User")
    Site = apps.get_model("sites", "Site")
    Person = apps.get_model("people", "Person")
    Partner = apps.get_model("partners", "Partner")
    PartnerService = apps.get_model("partners", "PartnerService")
    Appointment = apps.get_model("legal", "Appointment")
    Availability = apps.get_model("legal", "Availability")
    CalendarFeed = apps.get_model("legal", "CalendarFeed")
    SlotHold = apps.get_model("legal", "SlotHold")
    Referral = apps.get_model("referrals", "Referral")

    site = Site.objects.create(name="Old camp", kind="camp")
    advisor = User.objects.create(username="old-advisor")
    interpreter = User.objects.create(username="old-interpreter")
    person = Person.objects.create(code="OLD123", language="ar", home_site=site)
    at = timezone.now().replace(microsecond=0, second=0, minute=0) + datetime.timedelta(days=3)
    half = datetime.timedelta(minutes=30)
    Availability.objects.create(
        user=advisor,
        role="advisor",
        repeat="weekly",
        weekday=1,
        start_time="09:00",
        end_time="12:00",
        site=site,
    )
    Availability.objects.create(
        user=interpreter,
        role="interpreter",
        repeat="once",
        date=at.date(),
        start_time="09:00",
        end_time="17:00",
    )
    CalendarFeed.objects.create(user=interpreter, token="old-secret-token")
    appointment = Appointment.objects.create(
        person=person,
        advisor=advisor,
        interpreter=interpreter,
        starts_at=at,
        ends_at=at + 2 * half,
        site=site,
        language="ar",
        case_type="dublin",
    )
    cancelled = Appointment.objects.create(
        person=person,
        advisor=advisor,
        starts_at=at + 6 * half,
        ends_at=at + 8 * half,
        language="ar",
        case_type="other",
        status="cancelled",
    )
    for user in (advisor, interpreter):
        for cell in (at, at + half):
            SlotHold.objects.create(user=user, starts_at=cell, appointment=appointment)
    partner = Partner.objects.create(name="Clinic", kind="pass", sms_place="Rue 1")
    service = PartnerService.objects.create(partner=partner, name="Care", area="medical")
    referral = Referral.objects.create(
        person=person,
        service=service,
        site=site,
        urgency="urgent",
        reason_category="general",
        consent_to_share=True,
        status="booked",
        appointment_at=at + 4 * half,
        interpreter=interpreter,
        interpreter_language="ar",
    )
    for cell in (at + 4 * half, at + 5 * half):
        SlotHold.objects.create(user=interpreter, starts_at=cell, referral=referral)
    return {
        "appointment": appointment.pk,
        "cancelled": cancelled.pk,
        "referral": referral.pk,
        "advisor": advisor.pk,
        "interpreter": interpreter.pk,
        "at": at,
        "half": half,
    }


def _holds(SlotHold, booking_id):
    return set(SlotHold.objects.filter(booking_id=booking_id).values_list("user_id", "starts_at"))


def test_a_migrated_database_keeps_availability_feeds_and_holds(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    world = _old_world(old.apps)
    new = migrator.apply_tested_migration(AFTER)

    Availability = new.apps.get_model("scheduling", "Availability")
    CalendarFeed = new.apps.get_model("scheduling", "CalendarFeed")
    SlotHold = new.apps.get_model("scheduling", "SlotHold")
    Appointment = new.apps.get_model("legal", "Appointment")
    Referral = new.apps.get_model("referrals", "Referral")
    at, half = world["at"], world["half"]

    assert sorted(Availability.objects.values_list("user_id", "role")) == sorted(
        [(world["advisor"], "advisor"), (world["interpreter"], "interpreter")]
    )
    assert CalendarFeed.objects.get(user_id=world["interpreter"]).token == "old-secret-token"
    appointment = Appointment.objects.get(pk=world["appointment"])
    assert _holds(SlotHold, appointment.booking_id) == {
        (user, cell)
        for user in (world["advisor"], world["interpreter"])
        for cell in (at, at + half)
    }
    cancelled = Appointment.objects.get(pk=world["cancelled"])
    assert cancelled.booking_id is not None and _holds(SlotHold, cancelled.booking_id) == set()
    referral = Referral.objects.get(pk=world["referral"])
    assert _holds(SlotHold, referral.interpreter_booking_id) == {
        (world["interpreter"], at + 4 * half),
        (world["interpreter"], at + 5 * half),
    }
    assert SlotHold.objects.count() == 6


def test_the_migrated_holds_still_refuse_a_second_booking_of_a_cell(migrator):
    from django.db import IntegrityError, transaction

    old = migrator.apply_initial_migration(BEFORE)
    world = _old_world(old.apps)
    new = migrator.apply_tested_migration(AFTER)
    Booking = new.apps.get_model("scheduling", "Booking")
    SlotHold = new.apps.get_model("scheduling", "SlotHold")
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotHold.objects.create(
            booking=Booking.objects.create(), user_id=world["interpreter"], starts_at=world["at"]
        )


def test_undoing_the_move_puts_the_holds_back(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    world = _old_world(old.apps)
    migrator.apply_tested_migration(AFTER)
    undone = migrator.apply_tested_migration(BEFORE)
    SlotHold = undone.apps.get_model("legal", "SlotHold")
    Availability = undone.apps.get_model("legal", "Availability")
    assert SlotHold.objects.filter(appointment_id=world["appointment"]).count() == 4
    assert SlotHold.objects.filter(referral_id=world["referral"]).count() == 2
    assert Availability.objects.count() == 2
