"""Reads for the messaging engine: recipients, the message log, replies, announcements."""

from django.db.models import QuerySet

from fieldapp.languages import FALLBACKS, Language, fallback_chain
from fieldapp.types import Viewer, viewer_may
from services.accounts.scoping import in_user_sites, user_site_ids
from services.people.models import Person
from services.sites.models import Site

from .models import Broadcast, InboundMessage, Message


def broadcast_recipients(*, site: Site) -> list[Person]:
    """
    Opted-in people of the site with a working number. A phone shared by several
    people gets one copy (in the first registered person's language): it costs once.
    """
    people = (
        Person.objects.filter(home_site=site, sms_consent=True, phone_invalid_at__isnull=True)
        .exclude(phone="")
        .order_by("phone", "created_at", "id")
    )
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
