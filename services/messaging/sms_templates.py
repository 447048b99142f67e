"""
The SMS templates: one per message kind, translated in locale/ with the context "sms".

A template is rendered in the recipient's language, or the first language of its
fallback chain that has a translation (e.g. ckb -> ar -> en). Templates stay short:
every one fits two segments in every language with realistic values (a test checks).
The two that carry a link leave about 54 characters for their words: a text in a
non-Latin script fits 134 in two segments, and a password reset link takes 80.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fieldapp.errors import DomainError
from fieldapp.languages import Language

from .segments import gsm_friendly


class Kind(models.TextChoices):
    APPOINTMENT_REMINDER = "appointment_reminder", _("Legal appointment reminder")
    REFERRAL_REMINDER = "referral_reminder", _("Clinic referral reminder")
    DISTRIBUTION_ANNOUNCEMENT = "distribution_announcement", _("Distribution announcement")
    DISTRIBUTION_MOVED = "distribution_moved", _("Distribution moved")
    DISTRIBUTION_CANCELLED = "distribution_cancelled", _("Distribution cancelled")
    SHIFT_REMINDER = "shift_reminder", _("Shift reminder (volunteers)")
    SHIFT_CHANGED = "shift_changed", _("Shift changed (volunteers)")
    SHIFT_CANCELLED = "shift_cancelled", _("Shift cancelled (volunteers)")
    SHIFT_SHORT = "shift_short", _("Late withdrawal from a shift (coordinators)")
    STOCK_LOW = "stock_low", _("Stock running low (coordinators)")
    OPT_OUT_CONFIRMATION = "opt_out_confirmation", _("STOP confirmation")
    OPT_IN_CONFIRMATION = "opt_in_confirmation", _("START confirmation")
    INVITATION = "invitation", _("Invitation to volunteer")
    PASSWORD_RESET = "password_reset", _("Password reset link")


@dataclass(frozen=True)
class SmsTemplate:
    text: Promise
    params: tuple[str, ...]
    # Values that open an account (a one-time link): kept only until the message has
    # gone, then cut from its stored context and text (actions/redact.py).
    secret: tuple[str, ...] = ()


TEMPLATES: dict[str, SmsTemplate] = {
    Kind.APPOINTMENT_REMINDER: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Reminder: appointment %(date)s at %(time)s, %(place)s. "
            "Reply 1 to confirm, 2 to cancel. STOP to end messages.",
        ),
        ("date", "time", "place"),
    ),
    Kind.REFERRAL_REMINDER: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Reminder: appointment %(date)s at %(time)s, %(place)s. Bring your card. "
            "Reply STOP to end messages.",
        ),
        ("date", "time", "place"),
    ),
    Kind.DISTRIBUTION_ANNOUNCEMENT: SmsTemplate(
        pgettext_lazy(
            "sms", "Distribution %(date)s at %(time)s, %(place)s. Reply STOP to end messages."
        ),
        ("date", "time", "place"),
    ),
    Kind.DISTRIBUTION_MOVED: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Change: the distribution is now %(date)s at %(time)s, %(place)s. "
            "Reply STOP to end messages.",
        ),
        ("date", "time", "place"),
    ),
    Kind.DISTRIBUTION_CANCELLED: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Cancelled: no distribution %(date)s at %(place)s. Reply STOP to end messages.",
        ),
        ("date", "place"),
    ),
    Kind.SHIFT_REMINDER: SmsTemplate(
        pgettext_lazy("sms", "Your shift: %(date)s at %(time)s, %(place)s. Thank you!"),
        ("date", "time", "place"),
    ),
    Kind.SHIFT_CHANGED: SmsTemplate(
        pgettext_lazy(
            "sms", "Your shift has changed: now %(date)s at %(time)s, %(place)s. See the app."
        ),
        ("date", "time", "place"),
    ),
    Kind.SHIFT_CANCELLED: SmsTemplate(
        pgettext_lazy("sms", "Cancelled: your shift %(date)s at %(time)s, %(place)s. %(reason)s"),
        ("date", "time", "place", "reason"),
    ),
    Kind.SHIFT_SHORT: SmsTemplate(
        pgettext_lazy(
            "sms", "%(name)s withdrew from the shift %(date)s at %(time)s, %(place)s: it is short."
        ),
        ("name", "date", "time", "place"),
    ),
    Kind.STOCK_LOW: SmsTemplate(
        pgettext_lazy(
            "sms", "Stock running low: %(count)s items at %(places)s. See the dashboard."
        ),
        ("count", "places"),
    ),
    Kind.OPT_OUT_CONFIRMATION: SmsTemplate(
        pgettext_lazy(
            "sms", "You will get no more messages from us. Send START to get them again."
        ),
        (),
    ),
    Kind.OPT_IN_CONFIRMATION: SmsTemplate(
        pgettext_lazy("sms", "You will get our messages again. Send STOP to end them."),
        (),
    ),
    Kind.INVITATION: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Join us as a volunteer: %(link)s Valid %(days)s days. STOP to end messages.",
        ),
        ("link", "days"),
        secret=("link",),
    ),
    Kind.PASSWORD_RESET: SmsTemplate(
        pgettext_lazy(
            "sms",
            "To choose a new password: %(link)s Valid %(hours)s h.",
        ),
        ("link", "hours"),
        secret=("link",),
    ),
}

# Where a language has no translation of a template, try these before English.
FALLBACKS: dict[str, tuple[str, ...]] = {
    Language.CKB: (Language.AR,),
    Language.PS: (Language.FA,),
    Language.UR: (),
    Language.FA: (),
    Language.AR: (),
    Language.TI: (),
    Language.AM: (),
    Language.FR: (),
    Language.EN: (),
}


def fallback_chain(language: str) -> list[str]:
    chain = [language, *FALLBACKS.get(language, ()), Language.EN]
    return list(dict.fromkeys(chain))


@dataclass(frozen=True)
class Rendered:
    text: str
    language: str  # the language actually used, after fallback


def _translated(template: SmsTemplate, language: str) -> str | None:
    with translation.override(language):
        text = str(template.text)
    if language == Language.EN:
        return text
    with translation.override(Language.EN):
        english = str(template.text)
    return text if text != english else None


def template_check_context(kind: str, context: dict[str, str]) -> None:
    template = TEMPLATES.get(kind)
    if template is None:
        raise DomainError(gettext("Unknown message kind."), field="kind", code="unknown_kind")
    missing = [param for param in template.params if not str(context.get(param, "")).strip()]
    if missing:
        raise DomainError(
            gettext("Fill in: %(fields)s.") % {"fields": ", ".join(missing)},
            field=missing[0],
            code="missing_context",
        )


def template_render(kind: str, language: str, context: dict[str, str]) -> Rendered:
    template_check_context(kind, context)
    template = TEMPLATES[kind]
    values = {param: str(context[param]) for param in template.params}
    for candidate in fallback_chain(language):
        text = _translated(template, candidate)
        if text is not None:
            return Rendered(gsm_friendly(text % values), candidate)
    raise AssertionError("English always renders")  # pragma: no cover
