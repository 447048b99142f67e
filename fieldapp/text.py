"""Cleaning of free text that is shown to others (names, site names, notes)."""

import re
import unicodedata
from typing import Any

from django.http import QueryDict

# Direction overrides, embeddings, isolates and marks can make a name display as something
# else (or hide text). Zero-width joiners (U+200C/D) stay: Persian and Pashto need them.
_SPOOFING = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u200b\u2028\u2029]")
_SPACES = re.compile(r"\s+")
# The bidi controls that reorder what follows them (overrides, embeddings, isolates): a
# note or a name can hide or reverse text with them. Marks (U+200E/F) only nudge neutral
# characters, and right-to-left keyboards type them: they stay in notes.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_display_text(value: str) -> str:
    """NFC-normalise, drop control and direction-spoofing characters, collapse spaces."""
    value = unicodedata.normalize("NFC", value or "")
    value = _SPOOFING.sub("", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return _SPACES.sub(" ", value).strip()


def strip_bidi_controls(value: str) -> str:
    """Drop the direction overrides, embeddings and isolates from any input text."""
    return _BIDI_CONTROLS.sub("", value)


def without_bidi_controls(data: Any) -> Any:
    """
    The same input (a string, or the lists and dicts of a JSON body, or a form's QueryDict)
    with strip_bidi_controls applied to every key and string in it.
    """
    if isinstance(data, str):
        return strip_bidi_controls(data)
    if isinstance(data, QueryDict):
        cleaned = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            cleaned.setlist(strip_bidi_controls(key), [strip_bidi_controls(v) for v in values])
        cleaned._mutable = False
        return cleaned
    if isinstance(data, dict):
        return {without_bidi_controls(key): without_bidi_controls(v) for key, v in data.items()}
    if isinstance(data, list):
        return [without_bidi_controls(item) for item in data]
    return data
