"""Announcements to the opted-in people of a site, each in their own language."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from fieldapp.languages import Language, fallback_chain
from services.accounts.models import User
from services.audit.actions import audit_record
from services.people.models import Person
from services.sites.models import Site

from ..models import Broadcast, Cause
from ..segments import segment_count
from ..selectors import broadcast_recipients
from ..sms_templates import template_check_context, template_render
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


def broadcast_preview(*, site: Site, kind: str, context: dict[str, Any]) -> BroadcastPreview:
    """What each language's recipients will read, and what it all costs, before sending."""
    return _preview(broadcast_recipients(site=site), kind, context)


def _preview(recipients: list[Person], kind: str, context: dict[str, Any]) -> BroadcastPreview:
    template_check_context(kind, context)
    counts: dict[str, int] = {}
    for person in recipients:
        counts[person.language] = counts.get(person.language, 0) + 1
    languages = []
    for language in Language.values:
        rendered = template_render(kind, language, context)
        count = segment_count(rendered.text)
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


@transaction.atomic
def broadcast_send(*, actor: User, site: Site, kind: str, context: dict[str, Any]) -> Broadcast:
    # One list of recipients for the count recorded and the messages scheduled.
    recipients = broadcast_recipients(site=site)
    preview = _preview(recipients, kind, context)
    broadcast = Broadcast.objects.create(
        site=site,
        kind=kind,
        context=context,
        recipients=preview.recipients,
        segments=preview.segments,
        created_by=actor,
    )
    messages_schedule_bulk(
        items=(
            ScheduleItem(
                key=f"broadcast:{broadcast.pk}:person:{person.pk}",
                kind=kind,
                person=person,
                cause=MessageCause(Cause.BROADCAST, broadcast.pk),
                context=context,
                broadcast=broadcast,
            )
            for person in recipients
        )
    )
    audit_record(
        actor=actor,
        action="broadcast.send",
        target=broadcast,
        details={"kind": kind, "recipients": preview.recipients},
    )
    return broadcast
