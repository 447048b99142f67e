"""Planning shifts: one at a time, copying a day or a week, editing, cancelling; bad input."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.messaging.models import Cause, Message
from services.messaging.sms_templates import Kind
from services.scheduling.models import SlotHold
from services.shifts.actions.shifts import shift_cancel, shift_create, shift_update, shifts_copy
from services.shifts.actions.signups import signup_create
from services.shifts.models import Shift, ShiftNeed, SignUp

from .conftest import plan, volunteer_on

pytestmark = pytest.mark.django_db


def test_a_coordinator_plans_a_shift_with_its_skills_and_languages(shift, coordinator):
    assert (shift.people_needed, shift.signed_up, shift.task) == (3, 0, "distribution")
    assert timezone.localtime(shift.starts_at).time() == time(14, 15)
    assert set(shift.needs.values_list("kind", "code", "count")) == {
        ("skill", "driver", 1),
        ("language", "ti", 1),
    }
    assert AuditEntry.objects.filter(action="shift.create", target_id=str(shift.pk)).exists()


def test_a_volunteer_cannot_plan_shifts(volunteer, site, day):
    with pytest.raises(PermissionDenied):
        shift_create(actor=volunteer, site=site, plan=plan(day))


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"end_time": time(14, 0)}, "end_time", "order"),
        ({"end_time": time(14, 15)}, "end_time", "order"),
        ({"people_needed": 0}, "people_needed", "min_people"),
        ({"people_needed": -2}, "people_needed", "min_people"),
        ({"skills": {"driver": -1}}, "skill_driver", "negative"),
        ({"skills": {"driver": 4}}, "skill_driver", "more_than_people"),
        ({"languages": {"xx": 1}}, "language_xx", "unknown"),
        ({"task": "party"}, "task", "invalid"),
    ],
)
def test_bad_input_gets_words_on_its_field_and_nothing_is_saved(
    coordinator, site, day, change, field, code
):
    with pytest.raises(DomainError) as refused:
        shift_create(actor=coordinator, site=site, plan=plan(day, **change))
    assert (refused.value.field, refused.value.code) == (field, code)
    assert refused.value.message
    assert not Shift.objects.exists() and not ShiftNeed.objects.exists()


def test_a_shift_in_the_past_is_refused(coordinator, site):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        shift_create(actor=coordinator, site=site, plan=plan(yesterday))
    assert refused.value.code == "past"


@pytest.mark.parametrize(
    "values",
    [
        {"ends_at_minus_start": timedelta(0)},
        {"people_needed": 0},
        {"signed_up": 4},
    ],
)
def test_the_database_refuses_what_the_checks_refuse(shift, values):
    """The constraints hold even for a write that skips the actions."""
    update = dict(values)
    if "ends_at_minus_start" in update:
        update = {"ends_at": shift.starts_at + update.pop("ends_at_minus_start")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(**update)


def test_a_need_of_zero_or_of_an_unknown_code_cannot_be_stored(shift):
    for row in (
        ShiftNeed(shift=shift, kind="skill", code="first_aid", count=0),
        ShiftNeed(shift=shift, kind="skill", code="juggling", count=1),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()


def test_copying_a_week_skips_days_that_have_shifts_and_says_so(coordinator, site, day):
    monday = day - timedelta(days=day.weekday())
    for offset in range(5):  # Monday to Friday
        shift_create(
            actor=coordinator,
            site=site,
            plan=plan(monday + timedelta(days=offset), languages={"ar": 1}),
        )
    next_monday = monday + timedelta(days=7)
    shift_create(actor=coordinator, site=site, plan=plan(next_monday + timedelta(days=2)))
    copied = shifts_copy(actor=coordinator, site=site, source=monday, target=next_monday, days=7)
    assert len(copied.created) == 4
    assert copied.skipped == [(next_monday + timedelta(days=2), "has_shifts")]
    first = copied.created[0]
    assert timezone.localtime(first.starts_at).date() == next_monday
    assert timezone.localtime(first.starts_at).time() == time(14, 15)
    assert list(first.needs.values_list("code", "count")) == [("ar", 1)]
    assert not SignUp.objects.filter(shift__in=copied.created).exists()


def test_copying_a_day_into_the_past_is_skipped_and_said(coordinator, site, day):
    shift_create(actor=coordinator, site=site, plan=plan(day))
    yesterday = timezone.localdate() - timedelta(days=1)
    copied = shifts_copy(actor=coordinator, site=site, source=day, target=yesterday, days=1)
    assert copied.created == [] and copied.skipped == [(yesterday, "passed")]


def test_copying_onto_the_days_copied_is_refused(coordinator, site, day):
    with pytest.raises(DomainError) as refused:
        shifts_copy(actor=coordinator, site=site, source=day, target=day + timedelta(3), days=7)
    assert refused.value.code == "overlap"


def test_editing_tells_the_people_on_it_and_moves_their_reminders(
    shift, coordinator, make_user, day
):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup_create(actor=amina, shift=shift)
    before = set(
        Message.objects.filter(kind=Kind.SHIFT_REMINDER, status="pending").values_list(
            "idempotency_key", flat=True
        )
    )
    shift_update(
        actor=coordinator, shift=shift, plan=plan(day, start_time=time(15), end_time=time(17))
    )
    changed = Message.objects.get(kind=Kind.SHIFT_CHANGED)
    assert (changed.user, changed.cause_type, changed.cause_id) == (amina, Cause.SHIFT, shift.pk)
    assert changed.context["time"] == "15:00"
    pending = Message.objects.filter(kind=Kind.SHIFT_REMINDER, status="pending")
    assert len(pending) == 2 and not before & {m.idempotency_key for m in pending}
    shift.refresh_from_db()
    assert shift.starts_at - timedelta(hours=2) in {m.send_at for m in pending}
    held = sorted(SlotHold.objects.filter(user=amina).values_list("starts_at", flat=True))
    assert timezone.localtime(held[0]).time() == time(15) and len(held) == 4


def test_changing_only_the_numbers_tells_nobody(shift, coordinator, make_user, day):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup_create(actor=amina, shift=shift)
    shift_update(actor=coordinator, shift=shift, plan=plan(day, people_needed=5))
    assert not Message.objects.filter(kind=Kind.SHIFT_CHANGED).exists()
    shift.refresh_from_db()
    assert shift.people_needed == 5 and not shift.needs.exists()


def test_an_edit_below_the_people_signed_up_is_refused(shift, coordinator, make_user, day):
    for name in ("amina", "yonas"):
        signup_create(actor=volunteer_on(make_user, name), shift=shift)
    with pytest.raises(DomainError) as refused:
        shift_update(actor=coordinator, shift=shift, plan=plan(day, people_needed=1))
    assert refused.value.code == "below_signed_up"


def test_an_edit_to_a_time_someone_on_it_cannot_make_is_refused_naming_them(
    shift, coordinator, make_user, site, day
):
    amina = volunteer_on(make_user, "amina")
    signup_create(actor=amina, shift=shift)
    later = shift_create(
        actor=coordinator, site=site, plan=plan(day, start_time=time(17), end_time=time(19))
    )
    signup_create(actor=amina, shift=later)
    with pytest.raises(DomainError) as refused:
        shift_update(
            actor=coordinator, shift=shift, plan=plan(day, start_time=time(16), end_time=time(18))
        )
    assert refused.value.code == "cannot_come" and "amina" in refused.value.message
    shift.refresh_from_db()
    assert timezone.localtime(shift.starts_at).time() == time(14, 15)


def test_cancelling_tells_everyone_why_and_frees_their_time(shift, coordinator, make_user):
    amina = volunteer_on(make_user, "amina", phone="+447911123456")
    signup_create(actor=amina, shift=shift)
    shift_cancel(actor=coordinator, shift=shift, reason="  Eviction at the site  ")
    shift.refresh_from_db()
    assert shift.is_cancelled and shift.cancel_reason == "Eviction at the site"
    notice = Message.objects.get(kind=Kind.SHIFT_CANCELLED)
    assert notice.user == amina and notice.context["reason"] == "Eviction at the site"
    assert not Message.objects.filter(kind=Kind.SHIFT_REMINDER, status="pending").exists()
    assert not SlotHold.objects.filter(user=amina).exists()


@pytest.mark.parametrize(("reason", "code"), [("", "required"), ("x" * 61, "too_long")])
def test_a_cancellation_needs_a_short_reason(shift, coordinator, reason, code):
    with pytest.raises(DomainError) as refused:
        shift_cancel(actor=coordinator, shift=shift, reason=reason)
    assert refused.value.code == code
    shift.refresh_from_db()
    assert not shift.is_cancelled


def test_any_operation_on_a_started_shift_is_refused(shift, coordinator, make_user, day):
    amina = volunteer_on(make_user, "amina")
    signup = signup_create(actor=amina, shift=shift)
    later = shift.starts_at + timedelta(minutes=5)
    from services.shifts.actions.signups import signup_withdraw

    with mock.patch("django.utils.timezone.now", return_value=later):
        for attempt in (
            lambda: shift_update(actor=coordinator, shift=shift, plan=plan(day)),
            lambda: shift_cancel(actor=coordinator, shift=shift, reason="rain"),
            lambda: signup_create(actor=volunteer_on(make_user, "yonas"), shift=shift),
            lambda: signup_withdraw(actor=amina, signup=signup),
        ):
            with pytest.raises(DomainError) as refused:
                attempt()
            assert refused.value.code == "past"
