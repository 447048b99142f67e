"""
Pseudonymous person codes, printed on cards: six characters as XXX-XXX.

The alphabet has no 0/O or 1/I, so a code read aloud, typed with gloves or copied from
a wet card has one reading. 32 symbols, 6 places: about a billion codes.
"""

import re
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_NOT_CODE_CHARS = re.compile(r"[\s\-_.]")


def code_generate() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:3]}-{raw[3:]}"


def code_normalise(text: str) -> str | None:
    """The stored form of a typed code ('k7m 4qx', 'K7M4QX' -> 'K7M-4QX'), or None."""
    raw = _NOT_CODE_CHARS.sub("", text or "").upper()
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"{raw[:3]}-{raw[3:]}"


def code_prefix(text: str) -> str | None:
    """A partial code typed so far ('K7M', 'K7M-4'), in stored form, or None."""
    raw = _NOT_CODE_CHARS.sub("", text or "").upper()
    if not 3 <= len(raw) < CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return raw[:3] + ("-" + raw[3:] if len(raw) > 3 else "")
