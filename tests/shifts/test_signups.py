"""Signing up, withdrawing, being put on a shift, leaving, arriving: the rules and their words."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from fieldapp.errors import DomainError
from services.accounts.actions.stays import users_deactivate_departed
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.messaging.models import Message
from services.messaging.sms_templates import Kind
from services.scheduling.actions import booking_create, booking_hold
from services.scheduling.models import SlotHold
from services.shifts.actions.shifts import shift_create
from services.shifts.actions.signups import signup_arrived, signup_create, signup_withdraw
from services.shifts.models import Shift, SignUp

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db


def test_signing_up_takes_a_place_holds_the_time_and_schedules_two_reminders(shift, make_user):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup = signup_create(actor=amina, shift=shift)
    shift.refresh_from_db()
    assert shift.signed_up == 1 and signup.stands
    assert SlotHold.objects.filter(user=amina, booking=signup.booking).count() == 6
    reminders = Message.objects.filter(kind=Kind.SHIFT_REMINDER, user=amina)
    assert reminders.count() == 2
    assert AuditEntry.objects.filter(action="shift.signup", target_id=str(signup.pk)).exists()


def test_a_full_shift_refuses_the_next_volunteer(coordinator, site, day, make_user):
    one = shift_create(actor=coordinator, site=site, plan=plan(day, people_needed=1))
    signup_create(actor=volunteer_on(make_user, "amina"), shift=one)
    with pytest.raises(DomainError) as refused:
        signup_create(actor=volunteer_on(make_user, "yonas"), shift=one)
    assert refused.value.code == "full"
    one.refresh_from_db()
    assert one.signed_up == 1 and SignUp.objects.count() == 1


def test_a_second_sign_up_to_the_same_shift_is_refused(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup_create(actor=amina, shift=shift)
    with pytest.raises(DomainError) as refused:
        signup_create(actor=amina, shift=shift)
    assert refused.value.code == "already_on"


def test_the_database_refuses_two_standing_sign_ups_of_one_volunteer_to_one_shift(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup_create(actor=amina, shift=shift)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(shift=shift, user=amina, booking=booking_create())


def test_an_overlapping_shift_is_refused_and_nothing_is_half_saved(
    shift, coordinator, site, day, make_user
):
    amina = volunteer_on(make_user, "amina")
    signup_create(actor=amina, shift=shift)
    overlapping = shift_create(
        actor=coordinator, site=site, plan=plan(day, start_time=time(16), end_time=time(18))
    )
    with pytest.raises(DomainError) as refused:
        signup_create(actor=amina, shift=overlapping)
    assert refused.value.code == "overlap"
    assert "14:15" in refused.value.message
    overlapping.refresh_from_db()
    assert overlapping.signed_up == 0 and not overlapping.signups.exists()
    assert SlotHold.objects.filter(user=amina).count() == 6


def test_a_shift_over_an_appointment_the_volunteer_interprets_is_refused(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    booking_hold(
        booking=booking_create(),
        users=[amina.pk],
        starts_at=shift.starts_at + timedelta(minutes=45),
        ends_at=shift.starts_at + timedelta(minutes=105),
    )
    with pytest.raises(DomainError) as refused:
        signup_create(actor=amina, shift=shift)
    assert refused.value.code == "overlap" and "appointment" in refused.value.message


@pytest.mark.parametrize("stay", ["before", "after"])
def test_a_shift_outside_the_stay_is_refused(shift, make_user, day, stay):
    bounds = (
        {"arrives_on": day + timedelta(days=1)}
        if stay == "before"
        else {"leaves_on": day - timedelta(days=1)}
    )
    amina = volunteer_on(make_user, "amina", **bounds)
    with pytest.raises(DomainError) as refused:
        signup_create(actor=amina, shift=shift)
    assert refused.value.code == "outside_stay"
    assert "/" in refused.value.message  # the stay's dates, day first
    shift.refresh_from_db()
    assert shift.signed_up == 0


def test_the_last_day_of_a_stay_counts(shift, make_user, day):
    amina = volunteer_on(make_user, "amina", arrives_on=day, leaves_on=day)
    assert signup_create(actor=amina, shift=shift).stands


def test_a_volunteer_of_another_site_cannot_sign_up(shift, make_user, other_site):
    stranger = volunteer_on(make_user, "stranger")
    stranger.sites.set([other_site])
    with pytest.raises(PermissionDenied):
        signup_create(actor=stranger, shift=shift)


def test_withdrawing_early_frees_the_place_and_tells_nobody(shift, make_user, coordinator):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup = signup_create(actor=amina, shift=shift)
    signup = signup_withdraw(actor=amina, signup=signup)
    shift.refresh_from_db()
    assert shift.signed_up == 0 and not signup.stands and not signup.withdrawn_late
    assert not SlotHold.objects.filter(user=amina).exists()
    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}
    assert not Message.objects.filter(kind=Kind.SHIFT_SHORT).exists()


def test_withdrawing_within_24_hours_tells_the_sites_coordinators(
    shift, make_user, coordinator, site
):
    coordinator.email = "coord@example.org"
    coordinator.save()
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    with mock.patch("django.utils.timezone.now", return_value=shift.starts_at - timedelta(hours=5)):
        signup = signup_withdraw(actor=amina, signup=signup)
    assert signup.withdrawn_late
    notice = Message.objects.get(kind=Kind.SHIFT_SHORT)
    assert notice.user == coordinator and notice.context["name"] == "amina"


def test_a_coordinator_taking_someone_off_late_is_not_told_of_it(shift, make_user, coordinator):
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    with mock.patch("django.utils.timezone.now", return_value=shift.starts_at - timedelta(hours=5)):
        signup_withdraw(actor=coordinator, signup=signup)
    assert not Message.objects.filter(kind=Kind.SHIFT_SHORT).exists()


def test_one_cannot_withdraw_someone_else(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    with pytest.raises(PermissionDenied):
        signup_withdraw(actor=volunteer_on(make_user, "yonas"), signup=signup)


def test_withdrawing_twice_is_refused_in_words(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup = signup_withdraw(actor=amina, signup=signup_create(actor=amina, shift=shift))
    with pytest.raises(DomainError) as refused:
        signup_withdraw(actor=amina, signup=signup)
    assert refused.value.code == "withdrawn"


def test_signing_up_again_after_withdrawing_reuses_the_same_reminders(shift, make_user):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup_withdraw(actor=amina, signup=signup_create(actor=amina, shift=shift))
    signup_create(actor=amina, shift=shift)
    reminders = Message.objects.filter(kind=Kind.SHIFT_REMINDER, user=amina)
    assert reminders.count() == 2 and {m.status for m in reminders} == {"pending"}


def test_a_coordinator_puts_a_volunteer_on_a_shift_and_they_hear_of_it(
    shift, make_user, coordinator
):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup = signup_create(actor=coordinator, shift=shift, user=amina)
    assert signup.user == amina and signup.created_by == coordinator
    assert Message.objects.filter(kind=Kind.SHIFT_REMINDER, user=amina).count() == 3
    assert AuditEntry.objects.filter(action="shift.assign").exists()


def test_a_volunteer_cannot_put_someone_else_on_a_shift(shift, make_user):
    with pytest.raises(PermissionDenied):
        signup_create(
            actor=volunteer_on(make_user, "amina"),
            shift=shift,
            user=volunteer_on(make_user, "yonas"),
        )


def test_a_volunteer_whose_stay_ends_is_taken_off_the_shifts_to_come(shift, make_user, day):
    amina = volunteer_on(make_user, "amina", leaves_on=day)
    signup = signup_create(actor=amina, shift=shift)
    users_deactivate_departed(today=day + timedelta(days=1))
    signup.refresh_from_db()
    shift.refresh_from_db()
    assert not signup.stands and shift.signed_up == 0
    assert not Message.objects.filter(user=amina, status="pending").exists()


def test_the_team_lead_marks_arrivals_during_the_shift_only(shift, make_user):
    lead = volunteer_on(make_user, "lead", skills=["team_lead"])
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    with pytest.raises(DomainError) as refused:
        signup_arrived(actor=lead, signup=signup)
    assert refused.value.code == "not_now"
    with mock.patch(
        "django.utils.timezone.now", return_value=shift.starts_at + timedelta(minutes=3)
    ):
        signup = signup_arrived(actor=lead, signup=signup)
        assert signup.arrived_at is not None and signup.arrival_marked_by == lead
        signup = signup_arrived(actor=lead, signup=signup, arrived=False)
        assert signup.arrived_at is None
    assert AuditEntry.objects.filter(action="shift.arrived").exists()


def test_a_volunteer_who_is_no_team_lead_cannot_mark_arrivals(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    with pytest.raises(PermissionDenied):
        signup_arrived(actor=volunteer_on(make_user, "yonas"), signup=signup)


def test_a_withdrawn_sign_up_cannot_be_marked_arrived_in_the_database(shift, make_user):
    amina = volunteer_on(make_user, "amina")
    signup = signup_withdraw(actor=amina, signup=signup_create(actor=amina, shift=shift))
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.filter(pk=signup.pk).update(arrived_at=timezone.now())


def test_a_medical_volunteer_may_sign_up_too(shift, make_user):
    nurse = make_user(Role.MEDICAL, "nurse")
    assert signup_create(actor=nurse, shift=shift).stands
    assert Shift.objects.get(pk=shift.pk).signed_up == 1
