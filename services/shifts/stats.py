"""
Shift coverage in numbers, for the dashboard: per day and site, the shifts, the places
needed and filled, and how many shifts are short. One aggregate query on the counts the
shift rows keep (Shift.signed_up), whatever the number of sign-ups. The coverage board
(coverage.py) says who is missing and what skill; this says how much.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from fieldapp.figures import Scope
from services.accounts.scoping import in_scope

from .models import Shift

WEEK = 7


@dataclass(frozen=True)
class DayCover:
    day: date
    site_id: int
    shifts: int
    needed: int
    filled: int
    short: int


def coverage_by_day(scope: Scope, *, first_day: date, days: int = WEEK) -> list[DayCover]:
    """Shifts not cancelled from first_day for `days` days, at the scope's sites."""
    scope = Scope(scope.user, scope.site_ids, first_day, first_day + timedelta(days=days - 1))
    rows = (
        in_scope(Shift.objects.filter(cancelled_at__isnull=True), scope=scope)
        .filter(starts_at__gte=scope.starts_at(), starts_at__lt=scope.ends_before())
        .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "site_id")
        .annotate(
            shifts=Count("id"),
            needed=Sum("people_needed"),
            filled=Sum("signed_up"),
            short=Count("id", filter=Q(signed_up__lt=F("people_needed"))),
        )
        .order_by("day", "site_id")
    )
    return [DayCover(**row) for row in rows]
