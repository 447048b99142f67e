"""
Planning shifts: create one, copy a day or a week, edit, cancel. Coordinators only
(shifts/rules.py). A shift that has started is history: nothing here changes it.

Editing tells the people signed up when their time, task or notes change and moves
their reminders and their held time with the shift; if one of them cannot come at the
new time (booked elsewhere, or gone by then) the edit is refused and names them.
Cancelling tells everyone on it, with the reason, and frees their time.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.accounts.scoping import sites_of
from services.audit.actions import audit_record, model_update
from services.scheduling.actions import SlotTaken, booking_hold, booking_release
from services.scheduling.grid import local_datetime
from services.sites.models import Site

from .. import notices
from ..models import REASON_MAX, Shift, ShiftNeed, SignUp
from .common import shift_locked
from .plan import ShiftPlan, plan_check
from .signups import clash_of, stay_refusal

# What the people on a shift are told of when it changes.
NOTIFIED_FIELDS = {"starts_at", "ends_at", "task", "notes"}
MAX_COPY_AHEAD = timedelta(days=366)


def _require(actor: User, permission: str, obj: object = None) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _check_site(actor: User, site: Site) -> None:
    if not sites_of(actor).filter(pk=site.pk).exists():
        raise DomainError(_("Choose one of your open sites."), field="site", code="site")


def _needs_write(shift: Shift, plan: ShiftPlan) -> None:
    ShiftNeed.objects.bulk_create(
        ShiftNeed(shift=shift, kind=kind, code=code, count=count)
        for kind, code, count in plan.needs()
    )


def _create(actor: User, site: Site, plan: ShiftPlan, details: dict | None = None) -> Shift:
    shift = Shift.objects.create(
        site=site,
        task=plan.task,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        people_needed=plan.people_needed,
        notes=plan.notes.strip(),
        created_by=actor,
    )
    _needs_write(shift, plan)
    audit_record(actor=actor, action="shift.create", target=shift, details=details)
    return shift


@transaction.atomic
def shift_create(*, actor: User, site: Site, plan: ShiftPlan) -> Shift:
    _require(actor, "shifts.add_shift")
    _check_site(actor, site)
    plan_check(plan)
    return _create(actor, site, plan)


def _standing(shift: Shift) -> list[SignUp]:
    return list(
        SignUp.objects.filter(shift=shift, withdrawn_at__isnull=True)
        .select_related("user", "booking", "shift__site")
        .order_by("id")
    )


def _move_people(shift: Shift, plan: ShiftPlan, signups: list[SignUp]) -> None:
    """Hold everyone's time at the new hours, or refuse the edit naming who cannot come."""
    cannot = [
        signup.user.get_username()
        for signup in signups
        if stay_refusal(signup.user, plan.day)
        or clash_of(signup.user, plan.starts_at, plan.ends_at, signup.booking_id)
    ]
    if cannot:
        raise DomainError(
            _("Not everyone on it can come then: %(names)s. Take them off first.")
            % {"names": ", ".join(cannot)},
            field="start_time",
            code="cannot_come",
        )
    for signup in signups:
        booking_release(booking=signup.booking)
        try:
            booking_hold(
                booking=signup.booking,
                users=[signup.user_id],
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
            )
        except SlotTaken as error:
            raise DomainError(
                _("%(name)s was just booked elsewhere at the new time.")
                % {"name": signup.user.get_username()},
                field="start_time",
                code="cannot_come",
            ) from error


def _needs_update(actor: User, shift: Shift, plan: ShiftPlan) -> bool:
    before = sorted(shift.needs.values_list("kind", "code", "count"))
    if before == sorted(plan.needs()):
        return False
    shift.needs.all().delete()
    _needs_write(shift, plan)
    audit_record(actor=actor, action="shift.update", target=shift, details={"fields": ["needs"]})
    return True


@transaction.atomic
def shift_update(*, actor: User, shift: Shift, plan: ShiftPlan) -> Shift:
    """Change a shift still to come; the people on it hear of what concerns them."""
    _require(actor, "shifts.change_shift", shift)
    shift = shift_locked(shift)
    plan_check(plan)
    if plan.people_needed < shift.signed_up:
        raise DomainError(
            ngettext(
                "%(count)d person is signed up already: ask for at least as many, "
                "or take them off first.",
                "%(count)d people are signed up already: ask for at least as many, "
                "or take some off first.",
                shift.signed_up,
            )
            % {"count": shift.signed_up},
            field="people_needed",
            code="below_signed_up",
        )
    signups = _standing(shift)
    moved = (plan.starts_at, plan.ends_at) != (shift.starts_at, shift.ends_at)
    if moved:
        _move_people(shift, plan, signups)
    values = {
        "task": plan.task,
        "starts_at": plan.starts_at,
        "ends_at": plan.ends_at,
        "people_needed": plan.people_needed,
        "notes": plan.notes.strip(),
    }
    changed = model_update(shift, values, actor=actor, action="shift.update")
    _needs_update(actor, shift, plan)
    if signups and NOTIFIED_FIELDS & set(changed):
        shift.revision += 1
        shift.save(update_fields=["revision"])
        for signup in signups:
            signup.shift = shift
            if moved:
                notices.signup_reminders_schedule(signup)
        notices.notices_changed(shift, signups)
    return shift


@transaction.atomic
def shift_cancel(*, actor: User, shift: Shift, reason: str) -> Shift:
    """Cancel a shift still to come: everyone on it is told why, and their time is freed."""
    _require(actor, "shifts.change_shift", shift)
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(_("Say why, in a few words."), field="reason", code="required")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("Say it in %(count)d characters at most: it goes by SMS.") % {"count": REASON_MAX},
            field="reason",
            code="too_long",
        )
    shift = shift_locked(shift)
    model_update(
        shift,
        {"cancelled_at": timezone.now(), "cancel_reason": reason},
        actor=actor,
        action="shift.cancel",
    )
    signups = _standing(shift)
    for signup in signups:
        booking_release(booking=signup.booking)
        signup.shift = shift
    notices.notices_cancelled(shift, signups)
    return shift


@dataclass
class Copied:
    """What a copy made, and the days it left alone (with why: has_shifts or passed)."""

    created: list[Shift] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)


def _by_day(site: Site, first: date, days: int) -> dict[date, list[Shift]]:
    rows = (
        Shift.objects.filter(
            site=site,
            cancelled_at__isnull=True,
            starts_at__gte=local_datetime(first, time.min),
            starts_at__lt=local_datetime(first + timedelta(days=days), time.min),
        )
        .prefetch_related("needs")
        .order_by("starts_at", "id")
    )
    out: dict[date, list[Shift]] = defaultdict(list)
    for shift in rows:
        out[timezone.localtime(shift.starts_at).date()].append(shift)
    return out


def _copy_check(source: date, target: date, days: int) -> None:
    if days not in (1, 7):
        raise DomainError(_("Copy a day or a week."), field="days")
    if abs((target - source).days) < days:
        raise DomainError(
            _("Copy to other days than the ones copied."), field="to_day", code="overlap"
        )
    if target > timezone.localdate() + MAX_COPY_AHEAD:
        raise DomainError(_("Copy to a day within a year."), field="to_day", code="too_far")


@transaction.atomic
def shifts_copy(*, actor: User, site: Site, source: date, target: date, days: int) -> Copied:
    """
    Copy the shifts of `days` days from `source` to the same days from `target`, at one
    site (tasks, hours on the local clock, people, needs and notes; nobody's sign-up).
    A day that already has shifts is skipped, and so is a day whose copy would start in
    the past: both are said in the result.
    """
    _require(actor, "shifts.add_shift")
    _check_site(actor, site)
    _copy_check(source, target, days)
    Site.objects.select_for_update().get(pk=site.pk)  # one copy at a time per site
    copied, existing = _by_day(site, source, days), _by_day(site, target, days)
    result = Copied()
    now = timezone.now()
    for offset in range(days):
        day = target + timedelta(days=offset)
        rows = copied.get(source + timedelta(days=offset), [])
        if not rows:
            continue
        if existing.get(day):
            result.skipped.append((day, "has_shifts"))
            continue
        plans = [(row, ShiftPlan.of(row, list(row.needs.all()), day)) for row in rows]
        if any(plan.starts_at <= now for _row, plan in plans):
            result.skipped.append((day, "passed"))
            continue
        for row, plan in plans:
            result.created.append(_create(actor, site, plan, {"copied_from": row.pk}))
    return result
