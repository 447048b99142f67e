"""
What a shift lacks, in the reader's words: "Tue 14:15: 1 driver, no Tigrinya speaker".

Languages are named in the reader's language here ("Tigrinya"), where the lists that a
volunteer picks their own from show each language's own name (fieldapp.languages).
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from fieldapp.languages import Spoken
from services.accounts.models import Skill

LANGUAGE_NAMES: dict[str, Promise] = {
    Spoken.EN: _("English"),
    Spoken.FR: _("French"),
    Spoken.AR: _("Arabic"),
    Spoken.PS: _("Pashto"),
    Spoken.FA: _("Dari/Farsi"),
    Spoken.CKB: _("Kurdish Sorani"),
    Spoken.TI: _("Tigrinya"),
    Spoken.AM: _("Amharic"),
    Spoken.UR: _("Urdu"),
    Spoken.OM: _("Oromo"),
}

SKILLS_LACKING: dict[str, Promise] = {
    Skill.Kind.DRIVER: ngettext_lazy("%(count)d driver", "%(count)d drivers", "count"),
    Skill.Kind.FIRST_AID: ngettext_lazy("%(count)d first-aider", "%(count)d first-aiders", "count"),
    Skill.Kind.WAREHOUSE: ngettext_lazy(
        "%(count)d warehouse hand", "%(count)d warehouse hands", "count"
    ),
    Skill.Kind.KITCHEN: ngettext_lazy("%(count)d cook", "%(count)d cooks", "count"),
    Skill.Kind.MEDICAL: ngettext_lazy(
        "%(count)d medical volunteer", "%(count)d medical volunteers", "count"
    ),
    Skill.Kind.LEGAL: ngettext_lazy(
        "%(count)d legal volunteer", "%(count)d legal volunteers", "count"
    ),
    Skill.Kind.INTERPRETER: ngettext_lazy(
        "%(count)d interpreter", "%(count)d interpreters", "count"
    ),
    Skill.Kind.TEAM_LEAD: ngettext_lazy("%(count)d team lead", "%(count)d team leads", "count"),
}


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def skill_name(code: str) -> str:
    return str(Skill.Kind(code).label) if code in Skill.Kind.values else code


def people_lacking(count: int) -> str:
    return ngettext("%(count)d person", "%(count)d people", count) % {"count": count}


def skill_lacking(code: str, count: int) -> str:
    return str(SKILLS_LACKING[code] % {"count": count})


def language_lacking(code: str, count: int, have: int) -> str:
    """'no Tigrinya speaker' when the one wanted is missing, else how many are lacking."""
    if have == 0 and count == 1:
        return str(_("no %(language)s speaker")) % {"language": language_name(code)}
    return ngettext("%(count)d %(language)s speaker", "%(count)d %(language)s speakers", count) % {
        "count": count,
        "language": language_name(code),
    }


def when_words(starts_at: datetime) -> str:
    """'Tue 14:15', local, the day's name in the reader's language."""
    return date_format(timezone.localtime(starts_at), "D H:i")
