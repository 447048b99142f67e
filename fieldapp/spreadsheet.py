"""
Cells that are safe to open in a spreadsheet.

A value that starts with =, +, -, @, a tab or a carriage return is read by Excel and
LibreOffice as a formula (OWASP "CSV injection"): a name typed as
=HYPERLINK("http://...") would run on the coordinator's laptop. Exported text gets a
leading apostrophe, which spreadsheets show as text; numbers and dates stay numbers.
defusedcsv does this for the csv module only, and exports also go to XLSX, so the rule
is written once here for both.
"""

from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | date | datetime | None


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def safe_cell(value: object) -> Cell:
    """A value ready for a CSV or XLSX cell: text that could run as a formula is quoted."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text
