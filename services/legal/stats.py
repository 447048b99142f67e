"""
Counts of legal appointments by outcome, for the dashboard and any report of numbers.
One aggregate query; counts only, never a person, an advisor or a note.
"""

from django.db.models import Count

from fieldapp.figures import Scope
from services.accounts.scoping import in_scope

from .models import Appointment


def appointments_by_status(scope: Scope) -> dict[str, int]:
    """Legal appointments that started in the range, by status (at the chosen sites)."""
    rows = (
        in_scope(Appointment.objects.all(), scope=scope)
        .filter(starts_at__gte=scope.starts_at(), starts_at__lt=scope.ends_before())
        .values("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["status"]: row["count"] for row in rows}
