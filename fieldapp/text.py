"""Cleaning of free text that is shown to others (names, site names)."""

import re
import unicodedata

# Direction overrides, embeddings, isolates and marks can make a name display as something
# else (or hide text). Zero-width joiners (U+200C/D) stay: Persian and Pashto need them.
_SPOOFING = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u200b\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def clean_display_text(value: str) -> str:
    """NFC-normalise, drop control and direction-spoofing characters, collapse spaces."""
    value = unicodedata.normalize("NFC", value or "")
    value = _SPOOFING.sub("", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return _SPACES.sub(" ", value).strip()
