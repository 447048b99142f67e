"""Reads for the messaging engine: recipients, the message log, replies."""

from datetime import date

from django.db.models import QuerySet

from services.people.models import Person
from services.sites.models import Site

from .models import InboundMessage, Message


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


def message_log(
    *,
    person_code: str = "",
    status: str = "",
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Message]:
    messages = Message.objects.select_related("person")
    if person_code:
        messages = messages.filter(person__code=person_code)
    if status:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    if since:
        messages = messages.filter(send_at__date__gte=since)
    if until:
        messages = messages.filter(send_at__date__lte=until)
    return messages


def inbound_log() -> QuerySet[InboundMessage]:
    return InboundMessage.objects.prefetch_related("people")
