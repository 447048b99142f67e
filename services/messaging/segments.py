"""
How many SMS segments a text costs.

GSM-7 texts fit 160 septets in one segment, 153 per segment when concatenated; the
extension table's characters ({ } [ ] ~ \\ | ^ € and form feed) take two septets and
an escape pair is never split across segments. Anything else is UCS-2: 70 UTF-16 code
units alone, 67 when concatenated, and a surrogate pair is never split.

Neither Twilio nor the handsets split a grapheme cluster (a letter with its combining
marks, an emoji with its skin tone, a flag, a ZWJ family) across segments, so the text
is packed cluster by cluster, using the `regex` module's \\X (Unicode's extended
grapheme clusters). No library counts segments this way (the Python ones count code
units or characters), so the packing is written here; tests/data/sms_segments.json
holds the boundaries it must agree on with Twilio's calculator.
"""

from dataclasses import dataclass
from decimal import Decimal

import regex
from django.conf import settings

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "GSM-7"
UCS2 = "UCS-2"


# Typographic characters that would turn a whole Latin-script SMS into UCS-2 (halving
# what fits in a segment) for no gain: replaced by their GSM-7 look-alikes.
_LOOKALIKES = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


def gsm_friendly(text: str) -> str:
    return text.translate(_LOOKALIKES)


@dataclass(frozen=True)
class SegmentCount:
    encoding: str
    segments: int
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2

    @property
    def cost(self) -> Decimal:
        return Decimal(settings.SMS_PRICE_PER_SEGMENT) * self.segments


def _pack(widths: list[int], single: int, multi: int) -> int:
    """Segments needed for characters of the given widths, never splitting one."""
    total = sum(widths)
    if total <= single:
        return 1 if total else 0
    segments, used = 1, 0
    for width in widths:
        if used + width > multi:
            segments += 1
            used = 0
        used += width
    return segments


_CLUSTER = regex.compile(r"\X")


def _septets(cluster: str) -> int:
    return sum(2 if ch in GSM7_EXTENSION else 1 for ch in cluster)


def _code_units(cluster: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in cluster)


def segment_count(text: str) -> SegmentCount:
    clusters = _CLUSTER.findall(text)
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        widths = [_septets(cluster) for cluster in clusters]
        return SegmentCount(GSM7, _pack(widths, 160, 153), sum(widths))
    widths = [_code_units(cluster) for cluster in clusters]
    return SegmentCount(UCS2, _pack(widths, 70, 67), sum(widths))
