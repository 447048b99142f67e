"""
The order sizes are shown in: clothing from the smallest (XS < S < M < L < XL < XXL < 3XL),
shoes and other numbered sizes by number (39 < 40 < 40.5 < 41), then anything else as typed.
An alphabetical sort puts L before M and S, and "100" before "38": a volunteer reading a
row of tiles or a stock table expects the order of the shop. No library sorts garment
sizes; the rule is a few lines.
"""

import re

_LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
_MANY_X = re.compile(r"^(\d)X([SL])$")  # 3XL = XXXL, 2XS = XXS
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def size_key(size: str) -> tuple[int, float, str]:
    """A sort key: letter sizes first in shop order, then numbers by value, then the rest."""
    text = size.strip().upper()
    if many := _MANY_X.match(text):
        text = "X" * int(many.group(1)) + many.group(2)
    if text in _LETTER_SIZES:
        return (0, float(_LETTER_SIZES.index(text)), "")
    if text.startswith("X") and text.endswith("L") and set(text[:-1]) == {"X"}:
        return (0, float(len(text) + 3), "")  # beyond XXXL
    if _NUMBER.match(text):
        return (1, float(text.replace(",", ".")), "")
    return (2, 0.0, text)


def sorted_sizes(sizes: list[str]) -> list[str]:
    return sorted(sizes, key=size_key)
