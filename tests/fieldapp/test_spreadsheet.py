"""Text that a spreadsheet would run as a formula is exported as text."""

from datetime import date

import pytest

from fieldapp.spreadsheet import safe_cell


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x","y")', "+33 1 99 00", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_formula_starts_are_quoted(typed):
    assert safe_cell(typed) == "'" + typed


def test_plain_text_numbers_and_dates_stay_as_they_are():
    assert safe_cell("Sleeping bag") == "Sleeping bag"
    assert safe_cell(-3) == -3
    assert safe_cell(date(2026, 12, 5)) == date(2026, 12, 5)
    assert safe_cell(None) == ""
