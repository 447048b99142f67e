"""
The referral status workflow. TRANSITIONS is the whole rule: a step not in it is
refused. Every step locks the referral row, writes a ReferralEvent (who, when, why,
and the appointment as it stood), keeps the reminders in line with the appointment,
and is audited without its reason. The interpreter booked with the appointment
(interpreting.py) moves with it and is freed when it is over or off.
"""

from datetime import datetime
from enum import Enum
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from fieldapp.text import clean_display_text
from services.accounts.models import User
from services.audit.actions import audit_record

from ..models import FollowUpTask, Referral, ReferralEvent, Status
from .interpreting import referral_interpreter_hold, referral_interpreter_release
from .reminders import referral_reminders_cancel, referral_reminders_schedule

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.REFERRED}),
    Status.REFERRED: frozenset({Status.BOOKED, Status.DECLINED, Status.CLOSED}),
    Status.BOOKED: frozenset(
        {Status.ATTENDED, Status.MISSED, Status.BOOKED, Status.DECLINED, Status.CLOSED}
    ),
    Status.MISSED: frozenset({Status.BOOKED, Status.CLOSED}),
    Status.ATTENDED: frozenset({Status.CLOSED}),
    Status.DECLINED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
REASON_REQUIRED = frozenset({Status.MISSED, Status.DECLINED})
# Steps that call a booked appointment off (its interpreter no longer goes either).
CANCELLING = frozenset({Status.DECLINED, Status.CLOSED})
PLACE_MAX_LENGTH = 80


class _Keep(Enum):
    KEEP = "keep"


# referral_book(interpreter=KEEP): the appointment keeps the interpreter it has (if any).
KEEP = _Keep.KEEP


def referral_can_move(referral: Referral, to: str) -> bool:
    return to in TRANSITIONS[referral.status]


def _locked(referral: Referral, *, expected_status: str, actor: User) -> Referral:
    """
    The row, locked, once the actor is known to be of the medical role; Conflict if
    someone moved it since the screen was drawn.
    """
    if not actor.has_perm("referrals.change_referral", referral):
        raise PermissionDenied
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "interpreter_booking")
        .get(pk=referral.pk)
    )
    if current.status != expected_status:
        raise Conflict(
            _("Someone else changed this referral. Reload it and try again."), code="conflict"
        )
    return current


def _check(referral: Referral, to: str, reason: str = "") -> None:
    if not referral_can_move(referral, to):
        raise DomainError(
            _("A referral that is %(current)s cannot become %(new)s.")
            % {
                "current": referral.get_status_display().lower(),
                "new": Status(to).label.lower(),
            },
            field="status",
            code="not_allowed",
        )
    if to in REASON_REQUIRED and not reason.strip():
        raise DomainError(_("Give a reason."), field="reason", code="required")
    if to != Status.DRAFT and not referral.consent_to_share:
        raise DomainError(no_consent_message(), field="consent", code="no_consent")


def _step(
    *,
    actor: User,
    referral: Referral,
    to: str,
    reason: str = "",
    details: dict | None = None,
    interpreter_was: int | None | Literal[_Keep.KEEP] = KEEP,
) -> Referral:
    """
    Move to `to` and record it. interpreter_was: the interpreter before this step, when
    the step may change it, so the audit names a change (the event holds the new one).
    """
    _check(referral, to, reason)
    reason = reason.strip()
    was = referral.status
    referral.status = to
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        status=to,
        by=actor,
        reason=reason,
        appointment_at=referral.appointment_at,
        appointment_place=referral.appointment_place,
        interpreter=referral.interpreter,
    )
    audit_details = {"from": was, **(details or {})}
    fields = list(audit_details.get("fields", []))
    if reason:
        fields.append("reason")
    if interpreter_was is not KEEP and interpreter_was != referral.interpreter_id:
        fields.append("interpreter")
        audit_details["interpreter"] = referral.interpreter_id
    if fields:
        audit_details["fields"] = fields
    audit_record(
        actor=actor, action=f"referral.status.{to}", target=referral, details=audit_details
    )
    return referral


def no_consent_message() -> str:
    return _("No consent, no referral: the person must agree to share this with the partner first.")


@transaction.atomic
def referral_refer(*, actor: User, referral: Referral, consent: bool) -> Referral:
    """Send a draft to the partner. Records the consent given now (when and by whom)."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    if not referral.consent_to_share:
        if not consent:
            raise DomainError(no_consent_message(), field="consent", code="no_consent")
        referral.consent_to_share = True
        referral.consent_at = timezone.now()
        referral.consent_by = actor
    return _step(actor=actor, referral=referral, to=Status.REFERRED)


@transaction.atomic
def referral_book(
    *,
    actor: User,
    referral: Referral,
    starts_at: datetime,
    place: str = "",
    interpreter: User | None | Literal[_Keep.KEEP] = KEEP,
) -> Referral:
    """
    Book (or move) the appointment with an interpreter (or none; KEEP: the one it has)
    and (re)schedule its reminders. An interpreter who is not free then is a Conflict.
    """
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime")
    _check(referral, Status.BOOKED)
    if starts_at <= timezone.now():
        raise DomainError(
            _("The appointment must be in the future."), field="starts_at", code="past"
        )
    place = clean_display_text(place) or referral.service.partner.sms_place
    if len(place) > PLACE_MAX_LENGTH:
        raise DomainError(
            _("Use at most %(max)d characters.") % {"max": PLACE_MAX_LENGTH},
            field="place",
            code="too_long",
        )
    moved = referral.status == Status.BOOKED
    interpreter_was = referral.interpreter_id
    referral.appointment_at = starts_at
    referral.appointment_place = place
    referral_interpreter_hold(
        referral=referral,
        interpreter=referral.interpreter if interpreter is KEEP else interpreter,
    )
    referral = _step(
        actor=actor,
        referral=referral,
        to=Status.BOOKED,
        details={"fields": ["appointment_at", "appointment_place"], "rescheduled": moved},
        interpreter_was=interpreter_was,
    )
    referral_reminders_schedule(referral=referral)
    return referral


def _over(*, actor: User, referral: Referral, to: str, reason: str = "") -> Referral:
    """Attended, missed, declined or closed: the interpreter's time is freed."""
    _check(referral, to, reason)
    interpreter_was = referral.interpreter_id
    referral_interpreter_release(
        referral=referral, cancelled=referral.status == Status.BOOKED and to in CANCELLING
    )
    return _step(
        actor=actor, referral=referral, to=to, reason=reason, interpreter_was=interpreter_was
    )


@transaction.atomic
def referral_attended(*, actor: User, referral: Referral) -> Referral:
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    referral = _over(actor=actor, referral=referral, to=Status.ATTENDED)
    referral_reminders_cancel(referral=referral, reason="attended")
    return referral


@transaction.atomic
def referral_missed(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The person did not go: a follow-up task for the medical team to find them."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    if (
        referral.status == Status.BOOKED
        and referral.appointment_at is not None
        and referral.appointment_at > timezone.now()
    ):
        raise DomainError(
            _("The appointment has not happened yet: it cannot be missed."),
            field="status",
            code="not_yet",
        )
    referral = _over(actor=actor, referral=referral, to=Status.MISSED, reason=reason)
    referral_reminders_cancel(referral=referral, reason="missed")
    FollowUpTask.objects.create(referral=referral)
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The partner or the person said no."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    referral = _over(actor=actor, referral=referral, to=Status.DECLINED, reason=reason)
    referral_reminders_cancel(referral=referral, reason="declined")
    return referral


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, reason: str = "") -> Referral:
    """Close (or cancel a booked appointment): nothing more to do."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    referral = _over(actor=actor, referral=referral, to=Status.CLOSED, reason=reason)
    referral_reminders_cancel(referral=referral, reason="closed")
    return referral
