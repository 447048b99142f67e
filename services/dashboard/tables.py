"""
A chart's numbers as an HTML table: the first cell of each row names it (a row header),
the caption says what the table is. Written as markup in Python for the reason charts.py
gives: the per-day tables have hundreds of rows, and a template loop over their cells
costs more server time than every query of the page.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe


def table(
    caption: str, head: Sequence[str], rows: Sequence[Sequence[Any]], *, show_caption: bool = True
) -> SafeString:
    caption_class = "" if show_caption else ' class="visually-hidden"'
    header = "".join(f'<th scope="col">{escape(name)}</th>' for name in head)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{conditional_escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return mark_safe(  # noqa: S308 - every value escaped above
        f"<table><caption{caption_class}>{escape(caption)}</caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    )
