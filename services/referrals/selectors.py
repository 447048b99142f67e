"""
Reads of referrals, always through services/casework/access.py:
FULL (medical role) reads records with notes; STATUS (coordinators) reads counts and
statuses only; UPCOMING gets just the time and place of a person's next appointments.
Reads that show records are audited here, so every entry point is.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from services.accounts.models import User as Account
from services.audit.actions import audit_record, audit_record_each
from services.casework.access import Access, Area, area_access
from services.legal.interpreters import interpreters_free
from services.people.models import Person

from .models import (
    OPEN_STATUSES,
    FollowUpTask,
    Referral,
    Status,
    Urgency,
    referral_appointment_length,
)

User = AbstractBaseUser | AnonymousUser
StrOrPromise = str | Promise


def _not_found() -> NotFound:
    return NotFound(_("No such referral, or not one you may see."), code="not_found")


def referrals_visible(user: User) -> QuerySet[Referral]:
    """Whole referrals (with notes): the medical role only."""
    if area_access(user, Area.MEDICAL) < Access.FULL:
        return Referral.objects.none()
    return Referral.objects.select_related("person", "service__partner", "site", "interpreter")


def referral_statuses_visible(user: User) -> QuerySet[Referral]:
    """Referrals as coordinators may see them: no notes, no reason, no service."""
    if area_access(user, Area.MEDICAL) < Access.STATUS:
        return Referral.objects.none()
    return (
        Referral.objects.select_related("person")
        .only("id", "status", "urgency", "created_at", "updated_at", "person__code")
        .order_by("-updated_at", "-id")
    )


def referral_get(*, user: User, pk: int, audit: bool = True) -> Referral:
    """A whole referral for the medical role, audited as read; NotFound for anyone else."""
    referral = referrals_visible(user).filter(pk=pk).first()
    if referral is None:
        raise _not_found()
    if audit:
        audit_record(actor=user, action="referral.read", target=referral)  # type: ignore[arg-type]
    return referral


def referral_status_get(*, user: User, pk: int) -> Referral:
    """One referral's status (no notes), for coordinators and the medical role; audited."""
    referral = referral_statuses_visible(user).filter(pk=pk).first()
    if referral is None:
        raise _not_found()
    audit_record(
        actor=user,  # type: ignore[arg-type]
        action="referral.read",
        target=referral,
        details={"view": "status"},
    )
    return referral


def referrals_audit_list(*, user: User, referrals: list[Referral], view: str) -> None:
    """A read entry for every referral a list showed."""
    audit_record_each(actor=user, action="referral.list", targets=referrals, details={"view": view})


def referral_interpreters_free(*, referral: Referral, starts_at: datetime) -> list[Account]:
    """
    Who could interpret this referral's appointment if it were at starts_at (rules in
    services/legal/interpreters.py); its own current holds count as free. The caller
    has the referral from referral_get(), so the medical role only.
    """
    if not referral.interpreter_language:
        return []
    return interpreters_free(
        language=referral.interpreter_language,
        starts_at=starts_at,
        ends_at=starts_at + referral_appointment_length(),
        releasing=referral.pk,
    )


@dataclass(frozen=True)
class StatusCounts:
    by_status: list[tuple[str, StrOrPromise, int]]  # (status, label, count)
    by_urgency: list[tuple[str, StrOrPromise, int]]
    open_total: int


def _count_by(rows: QuerySet[Referral], field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id"))}


def referral_counts(*, user: User) -> StatusCounts:
    """Counts per status and, for open referrals, per urgency. STATUS access or more."""
    rows = referral_statuses_visible(user).order_by()
    per_status = _count_by(rows, "status")
    per_urgency = _count_by(rows.filter(status__in=OPEN_STATUSES), "urgency")
    return StatusCounts(
        by_status=[(s.value, s.label, per_status.get(s.value, 0)) for s in Status],
        by_urgency=[(u.value, u.label, per_urgency.get(u.value, 0)) for u in Urgency],
        open_total=sum(per_status.get(s, 0) for s in OPEN_STATUSES),
    )


_URGENCY_RANK = Case(
    *(When(urgency=urgency, then=Value(rank)) for rank, urgency in enumerate(Urgency)),
    output_field=IntegerField(),
)


def referrals_open(*, user: User) -> QuerySet[Referral]:
    """Open referrals for the medical home: most urgent first, then oldest."""
    return (
        referrals_visible(user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(urgency_rank=_URGENCY_RANK)
        .order_by("urgency_rank", "created_at")
    )


def referrals_upcoming(*, user: User, days: int = 7) -> QuerySet[Referral]:
    now = timezone.now()
    return (
        referrals_visible(user)
        .filter(
            status=Status.BOOKED,
            appointment_at__gte=now,
            appointment_at__lt=now + timedelta(days=days),
        )
        .order_by("appointment_at")
    )


def followups_open(*, user: User) -> QuerySet[FollowUpTask]:
    if area_access(user, Area.MEDICAL) < Access.FULL:
        return FollowUpTask.objects.none()
    return (
        FollowUpTask.objects.filter(done_at__isnull=True)
        .select_related("referral__person")
        .order_by("created_at")
    )


def followups_visible(user: User) -> QuerySet[FollowUpTask]:
    if area_access(user, Area.MEDICAL) < Access.FULL:
        return FollowUpTask.objects.none()
    return FollowUpTask.objects.select_related("referral__person").order_by("-created_at")


def followup_get(*, user: User, pk: int, audit: bool = True) -> FollowUpTask:
    task = followups_visible(user).filter(pk=pk).first()
    if task is None:
        raise NotFound(_("No such follow-up, or not one you may see."), code="not_found")
    if audit:
        audit_record(actor=user, action="referral.followup.read", target=task)  # type: ignore[arg-type]
    return task


def referrals_upcoming_for_person(person: Person) -> list[tuple[datetime, str]]:
    """
    The person's booked appointments still to come, as (starts_at, place) only: what any
    volunteer may know to help them get there (Access.UPCOMING). The caller checks access.
    """
    rows = (
        Referral.objects.filter(
            person=person, status=Status.BOOKED, appointment_at__gte=timezone.now()
        )
        .order_by("appointment_at")
        .values_list("appointment_at", "appointment_place")
    )
    return [(starts_at, place) for starts_at, place in rows if starts_at is not None]
