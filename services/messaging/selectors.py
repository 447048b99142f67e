"""Reads for the messaging engine: recipients, the message log, replies, announcements."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from fieldapp.languages import FALLBACKS, Language, fallback_chain
from fieldapp.types import Viewer, viewer_may
from services.accounts.scoping import in_user_sites, user_site_ids
from services.audit.actions import audit_record_each
from services.people.models import Person
from services.sites.models import Site

from .models import Broadcast, InboundMessage, Message
from .sms_templates import Kind

# The statuses of a text that went to the provider, and so cost its segments.
GONE = (Message.Status.SENT, Message.Status.DELIVERED, Message.Status.UNDELIVERED)


def broadcast_recipients(*, site: Site | None, language: str = "") -> list[Person]:
    """
    Opted-in people of the site (None: of every site) with a working number, only the
    readers of `language` when one is given. A phone shared by several people gets
    one copy (in the first registered person's language): it costs once.
    """
    people = Person.objects.filter(sms_consent=True, phone_invalid_at__isnull=True)
    if site is not None:
        people = people.filter(home_site=site)
    if language:
        people = people.filter(language=language)
    people = people.exclude(phone="").order_by("phone", "created_at", "id")
    seen: set[str] = set()
    recipients = []
    for person in people.iterator(chunk_size=2000):
        if str(person.phone) not in seen:
            seen.add(str(person.phone))
            recipients.append(person)
    return recipients


def message_log(*, user: Viewer) -> QuerySet[Message]:
    """
    The SMS log, newest first, narrowed by filters.MessageFilter: the messages to the
    people of the reader's sites (every message for coordinators, the only readers
    today). A message to no person (a volunteer's reminder) has no site, so only a
    reader of every site sees it.
    """
    if not viewer_may(user, "messaging.view_message"):
        return Message.objects.none()
    messages = Message.objects.select_related("person")
    return in_user_sites(messages, user=user, field="person__home_site")


def messages_read(*, user: Viewer, messages: list[Message]) -> None:
    """Record that this user was shown these messages in the SMS log: one entry each."""
    audit_record_each(actor=user, action="messaging.message.read", targets=messages)


def inbound_log(*, user: Viewer) -> QuerySet[InboundMessage]:
    """
    Replies, newest first, narrowed by filters.InboundMessageFilter: those from the
    phones of people of the reader's sites. A reply from a number no record has
    belongs to no site, so only a reader of every site (a coordinator) sees it.
    """
    if not viewer_may(user, "messaging.view_inboundmessage"):
        return InboundMessage.objects.none()
    replies = InboundMessage.objects.prefetch_related("people")
    if user_site_ids(user) is None:
        return replies
    return in_user_sites(replies, user=user, field="people__home_site").distinct()


def broadcast_list(*, user: Viewer) -> QuerySet[Broadcast]:
    """Announcements, newest first: those to the reader's sites (every one for coordinators)."""
    if not viewer_may(user, "messaging.view_broadcast"):
        return Broadcast.objects.none()
    return in_user_sites(Broadcast.objects.all(), user=user)


def fallback_rows() -> list[dict[str, object]]:
    """Each language's fallback chain and its reason, as coordinators read them."""
    return [
        {
            "code": language.value,
            "name": language.label,
            "chain": fallback_chain(language.value),
            "reason": FALLBACKS[language.value].reason,
        }
        for language in Language
    ]


@dataclass(frozen=True)
class CostRow:
    label: str
    messages: int
    segments: int
    cost: Decimal


@dataclass(frozen=True)
class Costs:
    """What the SMS of a list cost: by the language they were written in, and by kind."""

    by_language: list[CostRow]
    by_kind: list[CostRow]
    total: Decimal
    currency: str


def message_costs(messages: QuerySet[Message]) -> Costs:
    """The cost of the texts of this (filtered) log that went: grouped twice, one query each."""
    gone = messages.exclude(segments=0).exclude(channel="email").filter(status__in=GONE)
    price = Decimal(settings.SMS_PRICE_PER_SEGMENT)

    def rows(field: str, labels: dict[str, str]) -> list[CostRow]:
        grouped = (
            gone.order_by()
            .values(field)
            .annotate(count=Count("id"), segments=Sum("segments"))
            .order_by("-segments")
        )
        return [
            CostRow(
                labels.get(row[field], row[field] or "?"),
                row["count"],
                row["segments"],
                price * row["segments"],
            )
            for row in grouped
        ]

    by_language = rows("rendered_language", dict(Language.choices))
    by_kind = rows("kind", {kind.value: str(kind.label) for kind in Kind})
    total = sum((row.cost for row in by_kind), Decimal(0))
    return Costs(by_language, by_kind, total, settings.SMS_CURRENCY)
