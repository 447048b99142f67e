"""
The referral status workflow. TRANSITIONS is the whole rule: a step not in it is
refused. Every step locks the referral row, writes a ReferralEvent (who, when, why,
and the appointment as it stood), keeps the reminders in line with the appointment,
and is audited without its reason.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from fieldapp.text import clean_display_text
from services.accounts.models import User
from services.audit.actions import audit_record
from services.casework.access import Access, Area, area_require

from ..models import FollowUpTask, Referral, ReferralEvent, Status
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
PLACE_MAX_LENGTH = 80


def referral_can_move(referral: Referral, to: str) -> bool:
    return to in TRANSITIONS[referral.status]


def _locked(referral: Referral, *, expected_status: str, actor: User) -> Referral:
    """
    The row, locked, once the actor is known to be of the medical role; Conflict if
    someone moved it since the screen was drawn.
    """
    area_require(actor, Area.MEDICAL, Access.FULL)
    current = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    if current.status != expected_status:
        raise Conflict(
            _("Someone else changed this referral. Reload it and try again."), code="conflict"
        )
    return current


def _step(
    *, actor: User, referral: Referral, to: str, reason: str = "", details: dict | None = None
) -> Referral:
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
    reason = reason.strip()
    if to in REASON_REQUIRED and not reason:
        raise DomainError(_("Give a reason."), field="reason", code="required")
    if to != Status.DRAFT and not referral.consent_to_share:
        raise DomainError(no_consent_message(), field="consent", code="no_consent")
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
    )
    audit_details = {"from": was, **(details or {})}
    if reason:
        audit_details["fields"] = ["reason"]
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
    *, actor: User, referral: Referral, starts_at: datetime, place: str = ""
) -> Referral:
    """Book (or move) the appointment and (re)schedule its reminders."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime")
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
    referral.appointment_at = starts_at
    referral.appointment_place = place
    referral = _step(
        actor=actor,
        referral=referral,
        to=Status.BOOKED,
        details={"fields": ["appointment_at", "appointment_place"], "rescheduled": moved},
    )
    referral_reminders_schedule(referral=referral)
    return referral


@transaction.atomic
def referral_attended(*, actor: User, referral: Referral) -> Referral:
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    referral = _step(actor=actor, referral=referral, to=Status.ATTENDED)
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
    referral = _step(actor=actor, referral=referral, to=Status.MISSED, reason=reason)
    referral_reminders_cancel(referral=referral, reason="missed")
    FollowUpTask.objects.create(referral=referral)
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The partner or the person said no."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    referral = _step(actor=actor, referral=referral, to=Status.DECLINED, reason=reason)
    referral_reminders_cancel(referral=referral, reason="declined")
    return referral


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, reason: str = "") -> Referral:
    """Close (or cancel a booked appointment): nothing more to do."""
    referral = _locked(referral, expected_status=referral.status, actor=actor)
    referral = _step(actor=actor, referral=referral, to=Status.CLOSED, reason=reason)
    referral_reminders_cancel(referral=referral, reason="closed")
    return referral
