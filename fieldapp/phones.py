"""
Reading phone numbers the way volunteers type them: a person's on the registry, a
volunteer's own on their profile or when they forget their password.
"""

import re

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

_DIGITS = re.compile(r"\d")

INVALID_PHONE_MESSAGE = _(
    "This is not a phone number we can send to. Check the digits, or add the country code (+44 …)."
)


def phone_parse(text: str) -> PhoneNumber | None:
    """
    A valid number from what was typed, or None.

    '06 12 34 56 78' and '0033 6 12 34 56 78' are French (the default region); a number
    written with its country code ('+44 7700 900123', '447700900123') is read as such.
    """
    text = (text or "").strip()
    if len(_DIGITS.findall(text)) < 6:
        return None
    candidates = [text]
    if not text.startswith("+"):
        candidates.append("+" + text.lstrip("0"))
    for candidate in candidates:
        try:
            number = PhoneNumber.from_string(candidate, region=settings.PHONENUMBER_DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            continue
        if number.is_valid():
            return number
    return None
