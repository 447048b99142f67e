"""
Reads of referrals, always scoped by who asks (referrals/rules.py): the medical role
reads records with notes (referrals.view_notes); coordinators read counts and statuses
only (referrals.view_status); any volunteer gets just the time and place of a person's
next appointments (referrals.view_upcoming), and an interpreter their own bookings.
Lists keep to the sites the user works at. Reads that show records are audited here,
so every entry point is.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from fieldapp.languages import Language
from services.accounts.models import User
from services.accounts.scoping import in_user_sites
from services.audit.actions import audit_record, audit_record_each
from services.people.models import Person
from services.scheduling.calendar import CalendarEvent
from services.scheduling.interpreters import (
    InterpreterTime,
    interpreter_times_free,
    interpreters_free,
)

from .models import (
    OPEN_STATUSES,
    FollowUpTask,
    Referral,
    Status,
    Urgency,
    referral_appointment_length,
)

StrOrPromise = str | Promise


def _not_found() -> NotFound:
    return NotFound(_("No such referral, or not one you may see."), code="not_found")


def referrals_visible(user: User) -> QuerySet[Referral]:
    """Whole referrals (with notes): the medical role only."""
    if not user.has_perm("referrals.view_notes"):
        return Referral.objects.none()
    return Referral.objects.select_related("person", "service__partner", "site", "interpreter")


def referrals_listable(user: User) -> QuerySet[Referral]:
    """referrals_visible() made at the sites the user works at: what their lists show."""
    return in_user_sites(referrals_visible(user), user=user)


def referral_statuses_visible(user: User) -> QuerySet[Referral]:
    """Referrals as coordinators may see them: no notes, no reason, no service."""
    if not user.has_perm("referrals.view_status"):
        return Referral.objects.none()
    return (
        Referral.objects.select_related("person")
        .only("id", "status", "urgency", "created_at", "updated_at", "person__code")
        .order_by("-updated_at", "-id")
    )


def referral_statuses_listable(user: User) -> QuerySet[Referral]:
    """referral_statuses_visible() made at the user's sites (coordinators: every site)."""
    return in_user_sites(referral_statuses_visible(user), user=user)


def referral_get(*, user: User, pk: int, audit: bool = True) -> Referral:
    """A whole referral for the medical role, audited as read; NotFound for anyone else."""
    referral = referrals_visible(user).filter(pk=pk).first()
    if referral is None:
        raise _not_found()
    if audit:
        audit_record(actor=user, action="referral.read", target=referral)
    return referral


def referral_status_get(*, user: User, pk: int) -> Referral:
    """One referral's status (no notes), for coordinators and the medical role; audited."""
    referral = referral_statuses_visible(user).filter(pk=pk).first()
    if referral is None:
        raise _not_found()
    audit_record(
        actor=user,
        action="referral.read",
        target=referral,
        details={"view": "status"},
    )
    return referral


def _interpreter_booking_id(referral: Referral) -> int | None:
    """Read afresh: the booking is made by the first step that holds an interpreter."""
    return (
        Referral.objects.filter(pk=referral.pk)
        .values_list("interpreter_booking_id", flat=True)
        .first()
    )


def referrals_audit_list(*, user: User, referrals: list[Referral], view: str) -> None:
    """A read entry for every referral a list showed."""
    audit_record_each(actor=user, action="referral.list", targets=referrals, details={"view": view})


def referral_interpreters_free(*, referral: Referral, starts_at: datetime) -> list[User]:
    """
    Who could interpret this referral's appointment if it were at starts_at (rules in
    services/scheduling/interpreters.py); its own current holds count as free. The
    caller has the referral from referral_get(), so the medical role only.
    """
    if not referral.interpreter_language:
        return []
    return interpreters_free(
        language=referral.interpreter_language,
        starts_at=starts_at,
        ends_at=starts_at + referral_appointment_length(),
        releasing=_interpreter_booking_id(referral),
    )


def referral_interpreter_times(*, referral: Referral, limit: int = 6) -> list[InterpreterTime]:
    """
    The next times, from now for two weeks, when an interpreter of the referral's
    language is free by phone for the whole appointment: a time to propose to the clinic.
    """
    if not referral.interpreter_language:
        return []
    return interpreter_times_free(
        language=referral.interpreter_language,
        first=timezone.localdate(),
        days=14,
        length=referral_appointment_length(),
        limit=limit,
        releasing=_interpreter_booking_id(referral),
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
    rows = referral_statuses_listable(user).order_by()
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
        referrals_listable(user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(urgency_rank=_URGENCY_RANK)
        .order_by("urgency_rank", "created_at")
    )


def referrals_upcoming(*, user: User, days: int = 7) -> QuerySet[Referral]:
    now = timezone.now()
    return (
        referrals_listable(user)
        .filter(
            status=Status.BOOKED,
            appointment_at__gte=now,
            appointment_at__lt=now + timedelta(days=days),
        )
        .order_by("appointment_at")
    )


def followups_visible(user: User) -> QuerySet[FollowUpTask]:
    if not user.has_perm("referrals.view_followuptask"):
        return FollowUpTask.objects.none()
    return FollowUpTask.objects.select_related("referral__person").order_by("-created_at")


def followups_listable(user: User) -> QuerySet[FollowUpTask]:
    """followups_visible() of referrals made at the user's sites."""
    return in_user_sites(followups_visible(user), user=user, field="referral__site")


def followups_open(*, user: User) -> QuerySet[FollowUpTask]:
    return followups_listable(user).filter(done_at__isnull=True).order_by("created_at")


def followup_get(*, user: User, pk: int, audit: bool = True) -> FollowUpTask:
    task = followups_visible(user).filter(pk=pk).first()
    if task is None:
        raise NotFound(_("No such follow-up, or not one you may see."), code="not_found")
    if audit:
        audit_record(actor=user, action="referral.followup.read", target=task)
    return task


def referrals_upcoming_for_person(person: Person) -> list[tuple[datetime, str]]:
    """
    The person's booked appointments still to come, as (starts_at, place) only: what any
    volunteer may know to help them get there. The caller checks referrals.view_upcoming.
    """
    rows = (
        Referral.objects.filter(
            person=person, status=Status.BOOKED, appointment_at__gte=timezone.now()
        )
        .order_by("appointment_at")
        .values_list("appointment_at", "appointment_place")
    )
    return [(starts_at, place) for starts_at, place in rows if starts_at is not None]


def calendar_events_of(
    *, user: User, start: datetime, end: datetime | None, view: str
) -> list[CalendarEvent]:
    """
    The calendar source of referrals (registered in apps.py): the medical appointments
    this user interprets from start (to end), soonest first, as they may see them: when,
    where (the referral's neutral place), whose card and which language. No partner,
    service, reason or note is read, so none can be shown. Audited, one entry per
    referral.
    """
    if not user.has_perm("referrals.view_upcoming"):
        return []
    rows = Referral.objects.filter(interpreter_id=user.pk, appointment_at__gte=start)
    if end is not None:
        rows = rows.filter(appointment_at__lt=end)
    length = referral_appointment_length()
    found = [
        (pk, starts_at, place, code, language)
        for pk, starts_at, place, code, language in rows.order_by("appointment_at", "id")
        .values_list(
            "pk", "appointment_at", "appointment_place", "person__code", "interpreter_language"
        )
        .iterator()
        if starts_at is not None
    ]
    audit_record_each(
        actor=user,
        action="referral.interpreting.list",
        targets=[Referral(pk=row[0]) for row in found],
        details={"view": view},
    )
    return [
        CalendarEvent(
            uid=f"referral-{pk}@fieldapp",
            starts_at=starts_at,
            ends_at=starts_at + length,
            summary=_("Interpreting by phone %(code)s (%(language)s)")
            % {"code": code, "language": _language_label(language)},
            location=place,
        )
        for pk, starts_at, place, code, language in found
    ]


def _language_label(language: str) -> str:
    return str(Language(language).label) if language in Language.values else ""
