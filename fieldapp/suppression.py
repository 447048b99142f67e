"""
Small counts hidden from every figure shown outside the records: the dashboard, donor
reports, exports of statistics.

A count of people from 1 to 4 can point at someone ("the two Eritrean women served at
the beach on Tuesday"), so it shows as "<5". Zero shows as 0: it points at nobody, and a
chart of empty days reading "<5" would mislead. A total is computed from the true counts,
never from what is shown, and is itself withheld when the hidden cells could be worked out
from it: one hidden cell (total less the shown ones), or several whose sum only one split
allows (two hidden cells summing to 2 are 1 and 1; to 8, 4 and 4).

A few lines of arithmetic: the statistical disclosure libraries (sdcMicro, tau-argus) are
R and Java tools for microdata and tables far larger than this, and none is a Python package.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

SMALLEST_SHOWN = 5
HIDDEN = "<5"
WITHHELD = "—"

K = TypeVar("K")


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: its text, and its value only when that is shown too."""

    text: str
    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        """In a page: "<5" kept left to right inside right-to-left text (not "5>")."""
        if self.text == HIDDEN:
            return '<span dir="ltr">&lt;5</span>'
        return self.text


def is_small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def shown(count: int) -> Shown:
    """One count: "<5" from 1 to 4, else the number."""
    if is_small(count):
        return Shown(HIDDEN, None)
    return Shown(str(count), count)


def total_shown(counts: Iterable[int]) -> Shown:
    """
    The total of `counts` (true counts, not shown ones), or WITHHELD when the counts shown
    as "<5" could be worked out from it.
    """
    values = list(counts)
    total = sum(values)
    hidden = [count for count in values if is_small(count)]
    if hidden and _recoverable(len(hidden), sum(hidden)):
        return Shown(WITHHELD, None)
    return shown(total)


def _recoverable(cells: int, hidden_sum: int) -> bool:
    """Each hidden cell is 1 to 4: only the lowest and highest sums have a single split."""
    return cells == 1 or hidden_sum in (cells, cells * (SMALLEST_SHOWN - 1))


def row_shown(counts: Mapping[K, int]) -> tuple[dict[K, Shown], Shown]:
    """Every cell of a row shown, and the row's total."""
    return {key: shown(count) for key, count in counts.items()}, total_shown(counts.values())


def rate_shown(part: int, whole: int) -> str:
    """
    A percentage, withheld when the part or the rest is hidden: 2 of 50 as 4% tells the 2.
    """
    if whole == 0 or is_small(part) or is_small(whole - part) or is_small(whole):
        return WITHHELD
    return f"{round(100 * part / whole)}%"


WITHHELD_NOTE = _("— : withheld, because it would reveal a count under 5.")
