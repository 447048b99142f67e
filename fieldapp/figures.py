"""
What a figure counts: whose records (the asker's sites, or some of them) over which days.

Every statistic (the dashboard, donor reports, exports of counts) takes one Scope, so
the rules of a range are written once: its start on or before its end, and at most two
years long, because a longer one is a slip or a probe, and the queries behind a figure
are sized for months.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

LONGEST_RANGE_DAYS = 2 * 366


@dataclass(frozen=True)
class Scope:
    """The asker, the sites chosen (None: all the asker's sites), the first and last day."""

    user: Any
    site_ids: frozenset[int] | None
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def starts_at(self) -> datetime:
        """The first moment of the first day, where the records are (Europe/Paris)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    def ends_before(self) -> datetime:
        """The first moment after the last day."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def range_problem(start: date, end: date) -> str | None:
    """What is wrong with a date range, in words, or None."""
    if end < start:
        return _("The range ends before it starts: the first date must come first.")
    if (end - start).days >= LONGEST_RANGE_DAYS:
        return _("Choose a range of at most two years.")
    return None


def range_check(start: date, end: date) -> None:
    problem = range_problem(start, end)
    if problem:
        raise DomainError(problem, field="end", code="bad_range")
