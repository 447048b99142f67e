"""
The SMS templates: one per message kind, translated in locale/ with the context "sms".

A template is rendered in the recipient's language, or the first language of its
fallback chain that has a translation (fieldapp/languages.py::FALLBACKS, e.g.
ti -> am -> en). Each template has a budget of segments that it fits in every language
with every parameter at its longest (PARAM_MAX, the longest date in words, UCS-2
values): a test checks. A longer value (a place typed before these limits) is cut.
The two that carry a link leave about 54 characters for their words: a text in a
non-Latin script fits 134 in two segments, and a password reset link takes 80.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import cast

from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fieldapp.errors import DomainError
from fieldapp.languages import Language, fallback_chain

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
    OPT_OUT_QUESTION = "opt_out_question", _("Question: did they mean STOP?")
    URGENT_NOTICE = "urgent_notice", _("Urgent message (written by a coordinator)")
    INVITATION = "invitation", _("Invitation to volunteer")
    PASSWORD_RESET = "password_reset", _("Password reset link")


@dataclass(frozen=True)
class SmsTemplate:
    text: Promise
    params: tuple[str, ...]
    # Values that open an account (a one-time link): kept only until the message has
    # gone, then cut from its stored context and text (actions/redact.py).
    secret: tuple[str, ...] = ()
    # The most segments it may cost, in any language, at the longest values.
    budget: int = 2
    # Written by a coordinator in each language (the context's "text", in the language
    # "text_language"), not translated from a catalogue.
    free_text: bool = False


# The longest a parameter is in an SMS: longer values are cut (with "...") when the
# text is rendered. A place is a site's or a partner's short SMS name, or what a
# coordinator types (all limited to this); a volunteer's name is their user name.
SMS_PLACE_MAX = 40
# An urgent message typed by a coordinator: five segments in a non-Latin script.
URGENT_TEXT_MAX = 320
PARAM_MAX = {
    "place": SMS_PLACE_MAX,
    "reason": 60,
    "name": 20,
    "time": 5,
    "days": 2,
    "hours": 3,
    "text": URGENT_TEXT_MAX,
    # Low stock: how many items (never above 9999), and the sites' names joined by commas,
    # cut after 80 characters: the dashboard lists them all.
    "count": 4,
    "places": 80,
}


_written_text = lazy(lambda: "%(text)s", str)


TEMPLATES: dict[str, SmsTemplate] = {
    Kind.APPOINTMENT_REMINDER: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Reminder: appointment %(date)s at %(time)s, %(place)s. "
            "Reply 1 to confirm, 2 to cancel. STOP to end messages.",
        ),
        ("date", "time", "place"),
        budget=3,
    ),
    Kind.REFERRAL_REMINDER: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Reminder: appointment %(date)s at %(time)s, %(place)s. "
            "Reply 1 to confirm, 2 to cancel. STOP to end messages.",
        ),
        ("date", "time", "place"),
        budget=3,
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
        budget=3,
    ),
    Kind.DISTRIBUTION_CANCELLED: SmsTemplate(
        pgettext_lazy(
            "sms",
            "Cancelled: no distribution %(date)s at %(place)s. Reply STOP to end messages.",
        ),
        ("date", "place"),
        budget=3,
    ),
    Kind.SHIFT_REMINDER: SmsTemplate(
        pgettext_lazy(
            "sms", "Your shift: %(date)s at %(time)s, %(place)s. Reply 1 to confirm, 2 to cancel."
        ),
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
        budget=3,
    ),
    Kind.SHIFT_SHORT: SmsTemplate(
        pgettext_lazy(
            "sms", "%(name)s withdrew from the shift %(date)s at %(time)s, %(place)s: it is short."
        ),
        ("name", "date", "time", "place"),
        budget=3,
    ),
    Kind.STOCK_LOW: SmsTemplate(
        pgettext_lazy(
            "sms", "Stock running low: %(count)s items at %(places)s. See the dashboard."
        ),
        ("count", "places"),
        budget=3,
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
    Kind.OPT_OUT_QUESTION: SmsTemplate(
        pgettext_lazy("sms", "Reply STOP again to stop all messages."),
        (),
    ),
    # Not in the catalogue: the coordinator writes every language's text.
    Kind.URGENT_NOTICE: SmsTemplate(
        cast(Promise, _written_text()), ("text",), budget=5, free_text=True
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


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A day in an SMS: its name and the month in words, so that nobody reads 03/04 as March.
SMS_DATE_FORMAT = "D j F"


def sms_date(value: str, language: str) -> str:
    """An ISO day ("2026-12-05") as the reader writes it ("Sat 5 December"); else as given."""
    if not _ISO_DAY.fullmatch(value):
        return value
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    with translation.override(language):
        return date_format(day, SMS_DATE_FORMAT)


def _cut(value: str, limit: int | None) -> str:
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 3].rstrip() + "..."


def template_values(kind: str, context: dict[str, str], language: str) -> dict[str, str]:
    """The template's parameters from the context, cut to PARAM_MAX, the day in words."""
    values = {
        param: _cut(str(context[param]), PARAM_MAX.get(param)) for param in TEMPLATES[kind].params
    }
    if "date" in values:
        values["date"] = sms_date(values["date"], language)
    return values


def template_render(kind: str, language: str, context: dict[str, str]) -> Rendered:
    template_check_context(kind, context)
    template = TEMPLATES[kind]
    if template.free_text:
        written_in = str(context.get("text_language") or language)
        return Rendered(
            gsm_friendly(template_values(kind, context, written_in)["text"]), written_in
        )
    for candidate in fallback_chain(language):
        text = _translated(template, candidate)
        if text is not None:
            return Rendered(
                gsm_friendly(text % template_values(kind, context, candidate)), candidate
            )
    raise AssertionError("English always renders")  # pragma: no cover
