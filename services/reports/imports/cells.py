"""
One cell of an imported row, read as what its column means, or refused in words.

Dates are read day first, as written in France and Britain: 31/12/2026, 31-12-2026,
31.12.2026, or 2026-12-31, or a date cell from Excel. 12/31/2026 (month first) is
refused, not guessed.
"""

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from fieldapp.dates import implausible_date
from fieldapp.errors import DomainError
from fieldapp.languages import Language
from services.sites.models import Site

ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# Yes and no as a coordinator may type them in each of the app's languages (en, fr, ar,
# fa, ps, ckb, ti, am, ur), so a sheet filled in any of them imports.
YES = {"yes", "y", "oui", "o", "1", "true", "نعم", "بله", "هو", "بەڵێ", "እወ", "አዎ", "ہاں"}
NO = {"no", "n", "non", "0", "false", "", "لا", "نه", "نەخێر", "ኣይፋል", "አይ", "نہیں"}


def refuse_formulas(row: dict[str, Any]) -> None:
    for column, value in row.items():
        if isinstance(value, str) and value.startswith(("=", "@")):
            raise DomainError(
                _(
                    "The column %(column)s holds a spreadsheet formula; type the value "
                    "itself instead."
                )
                % {"column": column},
                code="formula",
            )


def date_cell(value: Any, column: str) -> date | None:
    if value in ("", None):
        return None
    if isinstance(value, date):
        day = value
    else:
        day = _date_text(str(value), column)
    problem = implausible_date(day)
    if problem:
        raise DomainError(f"{column}: {problem}", code="date")
    return day


def _date_text(text: str, column: str) -> date:
    iso, day_first = ISO.match(text), DAY_FIRST.match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError:
        pass
    raise DomainError(
        _(
            "%(column)s: %(value)s is not a date we can read. Write it day/month/year "
            "(31/12/2026) or year-month-day (2026-12-31)."
        )
        % {"column": column, "value": text[:30]},
        code="date",
    )


def yes_no(value: Any, column: str) -> bool:
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise DomainError(_("%(column)s: write yes or no.") % {"column": column}, code="yes_no")


def whole_number(value: Any, column: str) -> int:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= 100_000:
        raise DomainError(
            _("%(column)s: write a whole number from 1 to 100000.") % {"column": column},
            code="number",
        )
    return int(text)


def site_cell(value: Any, sites: dict[str, Site]) -> Site:
    site = sites.get(str(value).strip().lower())
    if site is None:
        raise DomainError(
            _("There is no site called %(name)s.") % {"name": str(value)[:80]}, code="site"
        )
    return site


def language_cell(value: Any) -> str:
    text = str(value).strip().lower()
    for code, label in Language.choices:
        if text in (code.lower(), str(label).lower()):
            return code
    raise DomainError(
        _("%(value)s is not a language we send SMS in. Use a code such as ar, fa, ps or ti.")
        % {"value": str(value)[:30]},
        code="language",
    )
