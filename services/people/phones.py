"""The registry reads phone numbers as the rest of fieldapp does (fieldapp/phones.py)."""

from fieldapp.phones import INVALID_PHONE_MESSAGE, phone_parse

__all__ = ["INVALID_PHONE_MESSAGE", "phone_parse"]
