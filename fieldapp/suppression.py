"""
Small-count suppression for every figure that leaves the app as a statistic.

A count under SUPPRESS_BELOW is shown as "<5": with few people at a site, a count of 1 or
2 points at someone. A total is counted from the data itself (never added up from the
cells shown), and when a breakdown hides exactly one cell beside a total, the next
smallest cell is hidden too, so no hidden cell can be worked back out by subtraction.

Written here because the statistical-disclosure packages (sdcMicro, tau-Argus) are R and
Java tools for whole tables of microdata; this is two functions.
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"

K = TypeVar("K", bound=Hashable)


def suppressed(count: int) -> str:
    """One count as it may be shown: "<5" under the threshold, the number otherwise."""
    return SUPPRESSED if count < SUPPRESS_BELOW else str(count)


def suppressed_breakdown(cells: Mapping[K, int], total: int) -> tuple[dict[K, str], str]:
    """
    A breakdown and its total, as they may be shown together. `total` is the count of
    the whole, taken from the data (a person may fall in several cells), not the sum of
    the cells.
    """
    shown = {key: suppressed(count) for key, count in cells.items()}
    total_shown = suppressed(total)
    hidden = [key for key, text in shown.items() if text == SUPPRESSED]
    if len(hidden) == 1 and total_shown != SUPPRESSED:
        visible = sorted(
            (count, str(key), key) for key, count in cells.items() if key not in hidden
        )
        if visible:
            shown[visible[0][2]] = SUPPRESSED
    return shown, total_shown
