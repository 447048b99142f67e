"""
The languages fieldapp speaks. The same codes serve the volunteers' interface and the
language a service user gets SMS in, but the two are chosen separately.
"""

from django.db import models


class Language(models.TextChoices):
    """Labels are each language's own name, so a person can point at theirs."""

    EN = "en", "English"
    FR = "fr", "Français"
    AR = "ar", "العربية"
    PS = "ps", "پښتو"
    FA = "fa", "دری / فارسی"
    CKB = "ckb", "کوردی (سۆرانی)"
    TI = "ti", "ትግርኛ"
    AM = "am", "አማርኛ"
    UR = "ur", "اردو"


class Spoken(models.TextChoices):
    """
    The languages volunteers speak, for interpreting and for the table: those of the
    interface and the SMS, and those of the queue that have no translation (yet).
    """

    EN = "en", "English"
    FR = "fr", "Français"
    AR = "ar", "العربية"
    PS = "ps", "پښتو"
    FA = "fa", "دری / فارسی"
    CKB = "ckb", "کوردی (سۆرانی)"
    TI = "ti", "ትግርኛ"
    AM = "am", "አማርኛ"
    UR = "ur", "اردو"
    OM = "om", "Afaan Oromoo"


RTL_LANGUAGES = frozenset({"ar", "ps", "fa", "ckb", "ur"})
