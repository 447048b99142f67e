"""
Charts as inline SVG, drawn on the server: no charting library to download on a phone
with a weak signal, and nothing that runs in the browser. Each chart is geometry
computed here (bars and their labels), drawn as markup by svg(): in Python, because a
template loop over a thousand bars costs more server time than the rest of the page.
Its numbers are in a table beside it, for screen readers and anyone who wants them.

A count hidden as "<5" is drawn as a short hatched stub of the same size whatever it
is, so the picture tells no more than the table. Right-to-left pages get the mirror
image: bars grow from the right, days run from the right.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fieldapp.suppression import Shown

WIDTH = 320
LABEL_WIDTH = 118
VALUE_WIDTH = 34
ROW = 22
BAR = 14
COLUMN_HEIGHT = 120
STUB = 0.04  # a hidden count's share of the longest bar


@dataclass(frozen=True)
class Part:
    """One segment of a bar: its count as shown, its kind (a CSS class), what it is."""

    count: Shown
    kind: str
    name: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    anchor: str
    text: str
    css: str = ""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    texts: list[Text]


def _length(part: Part, longest: int) -> float:
    if part.count.value is None:
        return STUB
    return part.count.value / longest if longest else 0.0


def _longest(rows: Sequence[Sequence[Part]]) -> int:
    return max((sum(p.count.value or 0 for p in parts) for parts in rows), default=0) or 1


def _css(part: Part) -> str:
    return part.kind + (" hidden-count" if part.count.hidden else "")


def bars(rows: Sequence[tuple[str, str, Sequence[Part]]], *, rtl: bool) -> Chart:
    """
    Horizontal bars, one row each: (label, total as shown, parts stacked end to end).
    The longest row fills the width.
    """
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    longest = _longest([parts for _label, _total, parts in rows])
    rects: list[Rect] = []
    texts: list[Text] = []
    for index, (label, total, parts) in enumerate(rows):
        y = index * ROW
        at: float = LABEL_WIDTH
        for part in parts:
            length = span * _length(part, longest)
            x = WIDTH - at - length if rtl else at
            title = f"{part.name} {part.count}".strip()
            rects.append(Rect(round(x, 1), y + 3, round(length, 1), BAR, _css(part), title))
            at += length
        texts.append(_text(LABEL_WIDTH - 4, y + 14, label, rtl, end=True))
        texts.append(_text(at + 3, y + 14, total, rtl, end=False, css="value"))
    return Chart(WIDTH, max(len(rows), 1) * ROW, rects, texts)


def _text(x: float, y: float, text: str, rtl: bool, *, end: bool, css: str = "") -> Text:
    """A label whose inline end (or start) is at x from the inline start of the chart."""
    if rtl:
        return Text(round(WIDTH - x, 1), y, "start" if end else "end", text, css)
    return Text(round(x, 1), y, "end" if end else "start", text, css)


def columns(columns: Sequence[tuple[str, Sequence[Part]]], *, rtl: bool, every: int = 7) -> Chart:
    """
    Stacked columns, one per day, the first at the inline start; every `every`th column
    is labelled beneath.
    """
    count = max(len(columns), 1)
    step = WIDTH / count
    longest = _longest([parts for _label, parts in columns])
    rects: list[Rect] = []
    texts: list[Text] = []
    for index, (label, parts) in enumerate(columns):
        x = WIDTH - (index + 1) * step if rtl else index * step
        top: float = COLUMN_HEIGHT
        for part in parts:
            height = COLUMN_HEIGHT * _length(part, longest)
            top -= height
            title = f"{label} {part.name} {part.count}"
            rects.append(
                Rect(
                    round(x, 2),
                    round(top, 1),
                    round(max(step - 1, 0.5), 2),
                    round(height, 1),
                    _css(part),
                    title,
                )
            )
        if index % every == 0:
            anchor = "end" if rtl else "start"
            texts.append(
                Text(round(x + (step if rtl else 0), 2), COLUMN_HEIGHT + 12, anchor, label)
            )
    return Chart(WIDTH, COLUMN_HEIGHT + 16, rects, texts)


def svg(chart: Chart, label: str) -> SafeString:
    """The chart as inline SVG markup, every text escaped."""
    rects = "".join(
        f'<rect x="{r.x}" y="{r.y}" width="{r.width}" height="{r.height}" class="{r.css}">'
        f"<title>{escape(r.title)}</title></rect>"
        for r in chart.rects
    )
    texts = "".join(
        f'<text x="{t.x}" y="{t.y}" text-anchor="{t.anchor}"'
        + (f' class="{t.css}"' if t.css else "")
        + f">{escape(t.text)}</text>"
        for t in chart.texts
    )
    return mark_safe(  # noqa: S308 - numbers, class names of ours, and escaped text
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-label="{escape(label)}" focusable="false">{rects}{texts}</svg>'
    )
