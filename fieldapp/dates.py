"""
The years a typed date may fall in, for every form, filter and API field.

A year 9999 or 0001 is a typing slip or a probe, never a distribution, a shift or an
appointment; and adding a week to 9999-12-31 overflows. Django's and DRF's date and
datetime fields all take validate_plausible_date (set once in FieldappConfig.ready), so
such a date is refused where it is typed, with a message, before any code counts with it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR = 1900
LAST_YEAR = 2100


def implausible_date(value: date) -> str | None:
    """What is wrong with a date (or datetime) outside FIRST_YEAR to LAST_YEAR, or None."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def validate_plausible_date(value: date) -> None:
    problem = implausible_date(value)
    if problem:
        raise ValidationError(problem, code="implausible_date")
