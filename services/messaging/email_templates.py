"""
The e-mails to volunteers: a subject and a body per message kind, translated in
locale/ with the context "email", rendered in the volunteer's interface language (or
the first of its fallback chain that has a translation, as for SMS). Kinds that only
ever go to people served (by SMS) have none; a volunteer's message whose kind has no
e-mail here is refused when it is scheduled.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from fieldapp.errors import DomainError
from fieldapp.languages import Language, fallback_chain

from .sms_templates import Kind, template_values


@dataclass(frozen=True)
class EmailTemplate:
    subject: Promise
    body: Promise


EMAILS: dict[str, EmailTemplate] = {
    Kind.INVITATION: EmailTemplate(
        pgettext_lazy("email", "You are invited to volunteer"),
        pgettext_lazy(
            "email",
            "Hello,\n\n"
            "You are invited to volunteer with us. Open this link within %(days)s days to "
            "choose your user name and password, and to tell us the languages you speak "
            "and when you are here:\n\n"
            "%(link)s\n\n"
            "The link works once. If you were not expecting this e-mail, ignore it.",
        ),
    ),
    Kind.PASSWORD_RESET: EmailTemplate(
        pgettext_lazy("email", "Choose a new password"),
        pgettext_lazy(
            "email",
            "Hello,\n\n"
            "Open this link within %(hours)s hours to choose a new password:\n\n"
            "%(link)s\n\n"
            "The link works once. If you did not ask for a new password, ignore this "
            "e-mail: your password stays as it is.",
        ),
    ),
    Kind.SHIFT_REMINDER: EmailTemplate(
        pgettext_lazy("email", "Your shift on %(date)s"),
        pgettext_lazy("email", "Your shift: %(date)s at %(time)s, %(place)s. Thank you!"),
    ),
    Kind.SHIFT_CHANGED: EmailTemplate(
        pgettext_lazy("email", "Your shift has changed: %(date)s"),
        pgettext_lazy(
            "email",
            "Hello,\n\n"
            "A shift you signed up for has changed. It is now on %(date)s at %(time)s, "
            "at %(place)s.\n\n"
            "If you can no longer come, withdraw in the app so that someone else can take "
            "your place.",
        ),
    ),
    Kind.SHIFT_CANCELLED: EmailTemplate(
        pgettext_lazy("email", "Shift cancelled: %(date)s"),
        pgettext_lazy(
            "email",
            "Hello,\n\n"
            "The shift on %(date)s at %(time)s at %(place)s is cancelled: %(reason)s\n\n"
            "Thank you for signing up. Other shifts are waiting for you in the app.",
        ),
    ),
    Kind.SHIFT_SHORT: EmailTemplate(
        pgettext_lazy("email", "A shift is short: %(date)s %(time)s"),
        pgettext_lazy(
            "email",
            "%(name)s withdrew from the shift on %(date)s at %(time)s at %(place)s, less "
            "than 24 hours before it starts. The coverage board shows what it lacks now.",
        ),
    ),
    Kind.STOCK_LOW: EmailTemplate(
        pgettext_lazy("email", "Stock running low: %(count)s items"),
        pgettext_lazy(
            "email",
            "Hello,\n\n"
            "%(count)s items are at or below their low-stock level at %(places)s.\n\n"
            "The dashboard lists them, with the stock that expires within 14 days.",
        ),
    ),
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str
    language: str  # the language actually used, after fallback


def email_check(kind: str) -> None:
    if kind not in EMAILS:
        raise DomainError(
            gettext("This message cannot go by e-mail."), field="kind", code="no_email"
        )


def _translated(template: EmailTemplate, language: str) -> tuple[str, str] | None:
    with translation.override(language):
        subject, body = str(template.subject), str(template.body)
    if language == Language.EN:
        return subject, body
    with translation.override(Language.EN):
        english = str(template.body)
    return (subject, body) if body != english else None


def email_render(kind: str, language: str, context: dict[str, str]) -> RenderedEmail:
    """The e-mail with the values of its SMS template's parameters (checked there)."""
    email_check(kind)
    template = EMAILS[kind]
    for candidate in fallback_chain(language):
        translated = _translated(template, candidate)
        if translated is not None:
            subject, body = translated
            values = template_values(kind, context, candidate)
            return RenderedEmail(subject % values, body % values, candidate)
    raise AssertionError("English always renders")  # pragma: no cover
