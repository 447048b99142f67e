"""
Announcements to the opted-in people of a site (or of every site), each in their own
language, or only to the readers of one language.

An announcement is either a template (a distribution announced, moved, cancelled),
translated from the catalogue, or an urgent message a coordinator writes in each
language (an eviction, a storm, the distribution point moved). A language left empty
falls back along its chain (fieldapp/languages.py), and the preview says which text
each language's readers get. Only an urgent message may go during quiet hours, and
that choice is audited on its own.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.languages import Language, fallback_chain
from services.accounts.models import User
from services.accounts.scoping import user_site_ids
from services.audit.actions import audit_record
from services.people.models import Person
from services.sites.models import Site

from ..models import Broadcast, Cause
from ..segments import gsm_friendly, segment_count
from ..selectors import broadcast_recipients
from ..sms_templates import TEMPLATES, Kind, template_check_context, template_render
from .schedule import MessageCause, ScheduleItem, messages_schedule_bulk


@dataclass(frozen=True)
class LanguagePreview:
    language: str
    rendered_language: str
    chain: list[str]
    text: str
    encoding: str
    segments: int
    recipients: int

    @property
    def total_segments(self) -> int:
        return self.segments * self.recipients

    @property
    def cost(self) -> Decimal:
        """What this language's texts cost: every recipient's segments."""
        return Decimal(settings.SMS_PRICE_PER_SEGMENT) * self.total_segments


@dataclass(frozen=True)
class BroadcastPreview:
    languages: list[LanguagePreview]
    recipients: int
    segments: int
    cost: Decimal
    currency: str


def written_text(texts: dict[str, str], language: str) -> tuple[str, str]:
    """An urgent message's text for a reader of the language: (text, language written in)."""
    for candidate in fallback_chain(language):
        text = " ".join(str(texts.get(candidate) or "").split())
        if text:
            return text, candidate
    raise DomainError(
        _("Write the message in English at least: every language falls back to it."),
        field="text_en",
        code="missing_text",
    )


def _person_context(kind: str, context: dict[str, Any], language: str) -> dict[str, Any]:
    """The context of one recipient's message: an urgent message's text in their language."""
    if not TEMPLATES[kind].free_text:
        return context
    text, written_in = written_text(context.get("texts") or {}, language)
    return {"text": text, "text_language": written_in}


def broadcast_preview(
    *, site: Site | None, kind: str, context: dict[str, Any], language: str = ""
) -> BroadcastPreview:
    """What each language's recipients will read, and what it all costs, before sending."""
    return _preview(broadcast_recipients(site=site, language=language), kind, context)


def _check(kind: str, context: dict[str, Any]) -> None:
    if TEMPLATES.get(kind) is not None and TEMPLATES[kind].free_text:
        written_text(context.get("texts") or {}, Language.EN)
    else:
        template_check_context(kind, context)


def _preview(recipients: list[Person], kind: str, context: dict[str, Any]) -> BroadcastPreview:
    _check(kind, context)
    counts: dict[str, int] = {}
    for person in recipients:
        counts[person.language] = counts.get(person.language, 0) + 1
    languages = []
    for language in Language.values:
        rendered = template_render(kind, language, _person_context(kind, context, language))
        count = segment_count(gsm_friendly(rendered.text))
        languages.append(
            LanguagePreview(
                language=language,
                rendered_language=rendered.language,
                chain=fallback_chain(language),
                text=rendered.text,
                encoding=count.encoding,
                segments=count.segments,
                recipients=counts.get(language, 0),
            )
        )
    segments = sum(preview.total_segments for preview in languages)
    price = segment_count("x").cost  # the price of one segment
    return BroadcastPreview(
        languages, sum(counts.values()), segments, price * segments, settings.SMS_CURRENCY
    )


def _check_may_send(actor: User, site: Site | None, kind: str, urgent: bool) -> None:
    if site is None and user_site_ids(actor) is not None:
        raise DomainError(
            _("Only a coordinator of every site may write to every site."),
            field="site",
            code="not_every_site",
        )
    if urgent and kind != Kind.URGENT_NOTICE:
        raise DomainError(
            _("Only an urgent message may go during quiet hours."),
            field="urgent",
            code="not_urgent",
        )


@transaction.atomic
def broadcast_send(
    *,
    actor: User,
    site: Site | None,
    kind: str,
    context: dict[str, Any],
    language: str = "",
    urgent: bool = False,
) -> Broadcast:
    """
    Schedule one message per recipient (a shared phone gets one). site None: every
    site; language: only the readers of that language. urgent: sent at once, even
    during quiet hours (urgent messages only).
    """
    _check_may_send(actor, site, kind, urgent)
    # One list of recipients for the count recorded and the messages scheduled.
    recipients = broadcast_recipients(site=site, language=language)
    preview = _preview(recipients, kind, context)
    broadcast = Broadcast.objects.create(
        site=site,
        language=language,
        urgent=urgent,
        kind=kind,
        context=context,
        recipients=preview.recipients,
        segments=preview.segments,
        created_by=actor,
    )
    contexts = {code: _person_context(kind, context, code) for code in Language.values}
    messages_schedule_bulk(
        items=(
            ScheduleItem(
                key=f"broadcast:{broadcast.pk}:person:{person.pk}",
                kind=kind,
                person=person,
                cause=MessageCause(Cause.BROADCAST, broadcast.pk),
                context=contexts.get(person.language) or contexts[Language.EN],
                broadcast=broadcast,
                respect_quiet_hours=not urgent,
            )
            for person in recipients
        )
    )
    details = {"kind": kind, "recipients": preview.recipients, "language": language}
    audit_record(actor=actor, action="broadcast.send", target=broadcast, details=details)
    if urgent:
        audit_record(
            actor=actor,
            action="broadcast.quiet_hours_override",
            target=broadcast,
            details={"recipients": preview.recipients},
        )
    return broadcast
