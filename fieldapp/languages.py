"""
The languages fieldapp speaks. The same codes serve the volunteers' interface and the
language a service user gets SMS in, but the two are chosen separately.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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


@dataclass(frozen=True)
class Fallback:
    """Where a text missing in a language is looked for next, and why there."""

    chain: tuple[str, ...]
    reason: Promise


# One chain per language, read in order, always ending in English (the language every
# text is written in first). SMS templates, e-mails and item names all follow it, and
# coordinators read it on the broadcast screen. Change a chain only with its reason.
FALLBACKS: dict[str, Fallback] = {
    Language.EN: Fallback((), _("Every text is written in English first.")),
    Language.FR: Fallback(
        (Language.EN,), _("Volunteers and partners who read French mostly read English.")
    ),
    Language.AR: Fallback(
        (Language.EN,), _("No other language we send is read by most Arabic speakers here.")
    ),
    Language.PS: Fallback(
        (Language.FA, Language.EN),
        _("Dari is Afghanistan's other official language, in the same script."),
    ),
    Language.FA: Fallback(
        (Language.EN,), _("Few Dari or Farsi readers read Pashto; English is the next best.")
    ),
    Language.CKB: Fallback(
        (Language.AR, Language.EN),
        _("Kurds from Iraq learnt Arabic at school; it is written in the same script."),
    ),
    Language.TI: Fallback(
        (Language.AM, Language.EN),
        _("Amharic is written in the same Ge'ez script and widely read in Eritrea and Tigray."),
    ),
    Language.AM: Fallback(
        (Language.EN,),
        _("Most Amharic readers do not read Tigrinya; English is taught in Ethiopia's schools."),
    ),
    Language.UR: Fallback(
        (Language.EN,),
        _("English is Pakistan's other official language; Arabic and Farsi are not read widely."),
    ),
}


def fallback_chain(language: str) -> list[str]:
    """The language itself, then its fallbacks, then English: the order texts are looked for."""
    base = (language or Language.EN).split("-")[0]
    fallback = FALLBACKS.get(base)
    chain = [base, *(fallback.chain if fallback else ()), Language.EN]
    return list(dict.fromkeys(chain))
