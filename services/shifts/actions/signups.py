"""
Signing up (one tap, or a coordinator putting someone on a shift), withdrawing (one
tap), and the team lead marking arrivals.

Signing up locks the volunteer's row, then the shift's: two taps of one volunteer, and
a profile saved at the same moment (which changes the stay), wait for each other; two
volunteers taking the last place wait on the shift. The database has the last word
whatever the order: the shift's count is kept between 0 and its people needed by a
check (shift_never_overfilled), the volunteer's time by scheduling's holds (one per
person per half hour), a second sign-up to the same shift by a unique constraint.

Withdrawing within 24 hours of the start tells the site's coordinators, and the
coverage board shows the shift as short until the place is taken again.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from services.accounts.models import User
from services.audit.actions import audit_record
from services.scheduling.actions import SlotTaken, booking_create, booking_hold, booking_release
from services.scheduling.grid import cells
from services.scheduling.models import SlotHold

from .. import notices
from ..models import Shift, SignUp
from ..selectors import site_coordinators
from .common import shift_locked

LATE = timedelta(hours=24)
# Arrivals are marked from an hour before the start until the end.
ARRIVAL_OPENS = timedelta(hours=1)


def _when(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{date_format(start, 'D j/m H:i')}–{date_format(end, 'H:i')}"


def stay_refusal(user: User, day: date, *, own: bool = False) -> DomainError | None:
    """Why `user` cannot be on a shift that day (outside their stay), or None."""
    first, last = user.arrives_on, user.leaves_on
    if (first is None or day >= first) and (last is None or day <= last):
        return None
    stay = {
        "first": date_format(first, "j/m/Y") if first else "…",
        "last": date_format(last, "j/m/Y") if last else "…",
        "name": user.get_username(),
    }
    message = (
        _("This shift is outside your stay (%(first)s to %(last)s).")
        if own
        else _("This shift is outside the stay of %(name)s (%(first)s to %(last)s).")
    )
    return DomainError(message % stay, code="outside_stay")


def clash_of(
    user: User, starts_at: datetime, ends_at: datetime, releasing: int | None = None
) -> str | None:
    """
    What else holds the user's time then (a shift, or an appointment they advise or
    interpret), in words; None if they are free. `releasing`: a booking of theirs that
    is moving, whose own time counts as free.
    """
    holds = SlotHold.objects.filter(user=user, starts_at__in=cells(starts_at, ends_at))
    if releasing is not None:
        holds = holds.exclude(booking_id=releasing)
    booking_ids = list(holds.values_list("booking_id", flat=True)[:1])
    if not booking_ids:
        return None
    other = SignUp.objects.filter(booking_id=booking_ids[0]).select_related("shift__site").first()
    if other is None:
        return _("an appointment")
    return _("the shift %(when)s at %(site)s") % {
        "when": _when(other.shift.starts_at, other.shift.ends_at),
        "site": other.shift.site.name,
    }


def _check_can_join(shift: Shift, user: User, own: bool) -> None:
    if shift.signed_up >= shift.people_needed:
        raise Conflict(_("This shift is full."), code="full")
    if SignUp.objects.filter(shift=shift, user=user, withdrawn_at__isnull=True).exists():
        message = _("You are on this shift already.") if own else _("They are on it already.")
        raise DomainError(message, code="already_on")
    refusal = stay_refusal(user, timezone.localtime(shift.starts_at).date(), own=own)
    if refusal is not None:
        raise refusal
    clash = clash_of(user, shift.starts_at, shift.ends_at)
    if clash is not None:
        message = (
            _("You are booked then already: %(what)s.")
            if own
            else _("%(name)s is booked then already: %(what)s.")
        )
        raise DomainError(message % {"what": clash, "name": user.get_username()}, code="overlap")


def _take_place(shift: Shift, user: User, actor: User) -> SignUp:
    """The place, the sign-up and the time, or nothing: the database decides each."""
    try:
        with transaction.atomic():
            Shift.objects.filter(pk=shift.pk).update(signed_up=F("signed_up") + 1)
    except IntegrityError as error:
        raise Conflict(_("This shift is full."), code="full") from error
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                shift=shift, user=user, booking=booking_create(), created_by=actor
            )
    except IntegrityError as error:
        raise Conflict(_("Already on this shift."), code="already_on") from error
    try:
        booking_hold(
            booking=signup.booking,
            users=[user.pk],
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
        )
    except SlotTaken as error:
        raise Conflict(_("This time was just taken by another booking."), code="overlap") from error
    shift.signed_up += 1
    return signup


def _volunteer(actor: User, shift: Shift, user: User | None) -> User:
    """Who goes on the shift: the actor (sign-up) or the one a coordinator names."""
    if user is None or user.pk == actor.pk:
        if not actor.has_perm("shifts.sign_up", shift):
            raise PermissionDenied
        return actor
    if not actor.has_perm("shifts.assign_shift", shift):
        raise PermissionDenied
    if not user.has_perm("shifts.sign_up", shift):
        raise DomainError(
            _("%(name)s does not work at this site, or is not here any more.")
            % {"name": user.get_username()},
            field="user",
            code="not_at_site",
        )
    return user


@transaction.atomic
def signup_create(*, actor: User, shift: Shift, user: User | None = None) -> SignUp:
    """Put `user` (or the actor) on the shift: a place, their time held, their reminders."""
    volunteer = _volunteer(actor, shift, user)
    # FOR NO KEY UPDATE: two sign-ups of one volunteer, or a profile saved meanwhile, wait
    # for each other, while a change that only points at the volunteer (an audit entry, a
    # message of a withdrawal holding the shift) does not wait on this lock.
    volunteer = User.objects.select_for_update(no_key=True).get(pk=volunteer.pk)
    shift = shift_locked(shift)
    own = volunteer.pk == actor.pk
    _check_can_join(shift, volunteer, own)
    signup = _take_place(shift, volunteer, actor)
    notices.signup_reminders_schedule(signup)
    if not own:
        notices.notice_assigned(signup)
    audit_record(
        actor=actor,
        action="shift.signup" if own else "shift.assign",
        target=signup,
        details={"shift": shift.pk, "user": volunteer.pk},
    )
    return signup


def _withdraw(signup: SignUp, *, actor: User | None, why: str) -> SignUp:
    """Take the sign-up back (the caller holds the shift's lock): place, time, messages."""
    now = timezone.now()
    signup.withdrawn_at = now
    signup.withdrawn_late = signup.shift.starts_at - now < LATE
    signup.save(update_fields=["withdrawn_at", "withdrawn_late"])
    Shift.objects.filter(pk=signup.shift_id).update(signed_up=F("signed_up") - 1)
    signup.shift.signed_up -= 1
    booking_release(booking=signup.booking)
    notices.signup_messages_cancel(signup, reason=why)
    if signup.withdrawn_late and (actor is None or actor.pk == signup.user_id):
        notices.notices_short(signup, site_coordinators(signup.shift.site))
    audit_record(
        actor=actor,
        action="shift.withdraw",
        target=signup,
        details={"late": signup.withdrawn_late, "why": why},
    )
    return signup


def _signup_locked(signup: SignUp) -> SignUp:
    """
    The shift's lock, then the sign-up's own row (not its volunteer's: signing up locks
    the volunteer before the shift, so taking both here in the other order could deadlock).
    """
    shift = shift_locked(signup.shift)
    signups = SignUp.objects.select_for_update(of=("self",)).select_related("user", "booking")
    locked = signups.get(pk=signup.pk)
    locked.shift = shift
    return locked


@transaction.atomic
def signup_withdraw(*, actor: User, signup: SignUp) -> SignUp:
    """The volunteer's one tap (or a coordinator taking someone off), before the start."""
    if not actor.has_perm("shifts.withdraw_signup", signup):
        raise PermissionDenied
    signup = _signup_locked(signup)
    if not signup.stands:
        raise DomainError(_("This sign-up was withdrawn already."), code="withdrawn")
    why = "withdrawn" if actor.pk == signup.user_id else "taken off"
    return _withdraw(signup, actor=actor, why=why)


@transaction.atomic
def sms_withdraw(*, signup: SignUp) -> SignUp | None:
    """The volunteer answered a reminder with 2 from their own phone: withdrawn as by a tap."""
    signup = _signup_locked(signup)
    if not signup.stands:
        return None
    return _withdraw(signup, actor=None, why="withdrawn by SMS")


def signups_end_for_user(user: User) -> int:
    """
    Their account closed (the stay ended): the shifts still to come lose them, the
    coordinators hear of those within 24 hours. Called inside the account's change.
    """
    ended = 0
    upcoming = SignUp.objects.filter(
        user=user, withdrawn_at__isnull=True, shift__starts_at__gt=timezone.now()
    ).select_related("shift")
    for signup in upcoming:
        if signup.shift.is_cancelled:
            continue
        _withdraw(_signup_locked(signup), actor=None, why="left")
        ended += 1
    return ended


@transaction.atomic
def signup_arrived(*, actor: User, signup: SignUp, arrived: bool = True) -> SignUp:
    """The team lead's tap: here (or, tapped by mistake, not yet)."""
    shift = signup.shift
    if not actor.has_perm("shifts.run_day", shift):
        raise PermissionDenied
    signup = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("shift__site", "user")
        .get(pk=signup.pk)
    )
    shift = signup.shift
    now = timezone.now()
    if not signup.stands or shift.is_cancelled:
        raise DomainError(_("They are not on this shift."), code="not_on")
    if not shift.starts_at - ARRIVAL_OPENS <= now < shift.ends_at:
        raise DomainError(
            _("Mark arrivals on the day, from an hour before the start until the end."),
            code="not_now",
        )
    signup.arrived_at = now if arrived else None
    signup.arrival_marked_by = actor
    signup.save(update_fields=["arrived_at", "arrival_marked_by"])
    audit_record(
        actor=actor, action="shift.arrived" if arrived else "shift.arrived_undo", target=signup
    )
    return signup
