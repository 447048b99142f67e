"""
Counts of clinic referrals, for the dashboard and any report of numbers: by status and
urgency, the time to first contact, and how many booked appointments were kept.

Aggregate queries only, counts only: no referral, person or note leaves this module.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Subquery

from fieldapp.figures import Scope
from services.accounts.scoping import in_scope

from .models import Referral, ReferralEvent, Status

# A referral is first answered when it moves past "referred": booked, declined, seen.
ANSWERED = (Status.BOOKED, Status.ATTENDED, Status.MISSED, Status.DECLINED, Status.CLOSED)


def _made(scope: Scope):  # type: ignore[no-untyped-def]
    return in_scope(Referral.objects.all(), scope=scope).filter(
        created_at__gte=scope.starts_at(), created_at__lt=scope.ends_before()
    )


def referrals_by_status(scope: Scope) -> dict[tuple[str, str], int]:
    """Referrals made in the range, by (status, urgency)."""
    rows = _made(scope).values("status", "urgency").annotate(count=Count("id")).order_by()
    return {(row["status"], row["urgency"]): row["count"] for row in rows}


@dataclass(frozen=True)
class FirstContact:
    urgency: str
    answered: int
    average: timedelta | None


def first_contact_by_urgency(scope: Scope) -> list[FirstContact]:
    """How long referrals made in the range waited for a first answer, on average."""
    first = (
        ReferralEvent.objects.filter(referral_id=OuterRef("pk"), status__in=ANSWERED)
        .order_by("at")
        .values("at")[:1]
    )
    rows = (
        _made(scope)
        .annotate(answered_at=Subquery(first))
        .filter(answered_at__isnull=False)
        .annotate(
            wait=ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
        )
        .values("urgency")
        .annotate(answered=Count("id"), average=Avg("wait"))
        .order_by("urgency")
    )
    return [FirstContact(row["urgency"], row["answered"], row["average"]) for row in rows]


def clinic_appointments_by_outcome(scope: Scope) -> dict[str, int]:
    """Clinic appointments in the range that were kept (attended) or missed."""
    rows = (
        in_scope(Referral.objects.all(), scope=scope)
        .filter(
            appointment_at__gte=scope.starts_at(),
            appointment_at__lt=scope.ends_before(),
            status__in=(Status.ATTENDED, Status.MISSED),
        )
        .values("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["status"]: row["count"] for row in rows}
