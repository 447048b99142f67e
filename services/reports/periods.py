"""
The one rule for a report's or an export's dates: in order, and two years at most.

A reversed range is a slip; a range longer than two years is a bulk copy of the records,
which nobody needs for a donor or a partner and which the people in them never agreed to.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError

LONGEST_YEARS = 2


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_check(since: date, until: date) -> None:
    if until < since:
        raise DomainError(
            _("The end date is before the start date: swap them."), field="until", code="reversed"
        )
    if until >= _years_after(since, LONGEST_YEARS):
        raise DomainError(
            _("Choose at most %(years)d years at a time.") % {"years": LONGEST_YEARS},
            field="until",
            code="too_long",
        )


def period_days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def day_start(day: date) -> datetime:
    """Midnight at the start of `day`, in Paris."""
    return timezone.make_aware(datetime.combine(day, time.min))
