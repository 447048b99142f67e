"""
Replies from phones. STOP ends messages at once; START brings them back; an answer to
a message that asks for one (1 / 2) goes to the handler of that message's kind.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from services.people.actions import person_sms_opt_in, person_sms_opt_out
from services.people.models import Person
from services.people.phones import phone_parse

from ..keywords import answer_of, keyword_of
from ..models import Cause, InboundMessage, Message
from ..reply_handlers import REPLY_WINDOW, reply_handler_for, reply_kinds
from ..sms_templates import Kind
from .schedule import MessageCause, message_schedule


@transaction.atomic
def inbound_receive(*, provider_message_id: str, from_phone: str, body: str) -> InboundMessage:
    """Record a reply once per provider id (webhooks are retried) and act on it."""
    existing = InboundMessage.objects.filter(provider_message_id=provider_message_id).first()
    if existing is not None:
        return existing
    phone = phone_parse(from_phone)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                provider_message_id=provider_message_id,
                from_phone=phone or "",
                body=body[:1600],
            )
    except IntegrityError:  # the same webhook, delivered twice at once
        return InboundMessage.objects.get(provider_message_id=provider_message_id)
    people = list(Person.objects.filter(phone=phone)) if phone else []
    inbound.people.set(people)
    keyword = keyword_of(body)
    if not people:
        return inbound
    if keyword is None:
        _answer(inbound, people, body)
        return inbound
    if keyword == "stop":
        inbound.action = InboundMessage.Action.OPT_OUT
        for person in people:
            person_sms_opt_out(person=person, reason="sms_stop")
        confirmation = Kind.OPT_OUT_CONFIRMATION
    else:
        inbound.action = InboundMessage.Action.OPT_IN
        for person in people:
            person_sms_opt_in(person=person, reason="sms_start")
        confirmation = Kind.OPT_IN_CONFIRMATION
    inbound.save(update_fields=["action"])
    message_schedule(
        key=f"inbound:{provider_message_id}:confirm",
        kind=confirmation,
        person=people[0],
        cause=MessageCause(Cause.REPLY, inbound.pk),
        respect_quiet_hours=False,
        require_consent=False,
    )
    return inbound


def _answer(inbound: InboundMessage, people: list[Person], body: str) -> None:
    """Hand an answer to the handler of the latest sent message that asked for one."""
    answer = answer_of(body)
    kinds = reply_kinds()
    if answer is None or not kinds:
        return
    asked = (
        Message.objects.filter(
            person__in=people,
            kind__in=kinds,
            status__in=(Message.Status.SENT, Message.Status.DELIVERED),
            sent_at__gte=timezone.now() - REPLY_WINDOW,
        )
        .select_related("person")
        .order_by("-sent_at", "-id")
        .first()
    )
    handler = reply_handler_for(asked.kind) if asked is not None else None
    if asked is None or handler is None:
        return
    action = handler(asked, answer)
    if action:
        inbound.action = action
        inbound.save(update_fields=["action"])
