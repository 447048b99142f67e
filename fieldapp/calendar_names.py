"""
Weekday and month names in Pashto, Tigrinya and Amharic, wherever Django writes a date.

Django's catalogue has these names for the other languages we speak but none for ps,
ti and am, so "D j F" came out as "Fri 3 April" on their screens and in their SMS. The
names here are CLDR's, through Babel (the well-kept library of the Unicode locale
data); locale/*.po stays the translators' own and is not written from here.

install() (called once, from FieldappConfig.ready) puts a lookup in front of the name
tables that django.utils.dateformat reads, so the `date` filter, formats.date_format()
and the admin all agree: in one of CLDR_LANGUAGES the name comes from CLDR, in any other
language Django's own translated name is returned unchanged.
"""

from functools import cache
from typing import Literal

from babel.dates import get_day_names, get_month_names
from django.utils import dateformat
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language

# The languages we speak that Django ships no catalogue for.
CLDR_LANGUAGES = frozenset({"ps", "ti", "am"})

Width = Literal["abbreviated", "wide"]
Context = Literal["format", "stand-alone"]
# The name tables of django.utils.dateformat, and the CLDR names each one stands for.
_TABLES: dict[str, tuple[str, Width, Context]] = {
    "WEEKDAYS": ("day", "wide", "format"),
    "WEEKDAYS_ABBR": ("day", "abbreviated", "format"),
    "MONTHS": ("month", "wide", "format"),
    "MONTHS_ALT": ("month", "wide", "stand-alone"),
    "MONTHS_3": ("month", "abbreviated", "format"),
    "MONTHS_AP": ("month", "abbreviated", "format"),
}


@cache
def cldr_names(language: str, table: str) -> dict[int, str]:
    """Django's keys (0 = Monday, 1 = January) to the CLDR name, in the language."""
    unit, width, context = _TABLES[table]
    names = get_day_names if unit == "day" else get_month_names
    return dict(names(width, context=context, locale=language))


def _name(table: str, key: int, django_name: Promise) -> str:
    language = (get_language() or "").split("-")[0]
    if language in CLDR_LANGUAGES:
        return cldr_names(language, table)[key]
    return str(django_name)


_lazy_name = lazy(_name, str)


def install() -> None:
    """Put the CLDR lookup in front of django.utils.dateformat's name tables (once)."""
    if getattr(dateformat, "_fieldapp_calendar_names", False):
        return
    for table in _TABLES:
        django_names = getattr(dateformat, table)
        lookups = {key: _lazy_name(table, key, value) for key, value in django_names.items()}
        setattr(dateformat, table, lookups)
    dateformat._fieldapp_calendar_names = True  # type: ignore[attr-defined]
