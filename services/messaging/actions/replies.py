"""
Replies from phones. STOP ends messages at once; START brings them back; a reply that
may mean STOP gets a question back (nobody is opted out on a doubt); an answer to a
message that asks for one (1 / 2) goes to the handler of that message's kind.

A number is read as every person served and every volunteer who has it: a volunteer's
STOP ends their SMS (their e-mails go on), START brings them back.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from services.accounts.actions.profile import user_sms_start, user_sms_stop
from services.accounts.models import Channel, User
from services.people.actions import person_sms_opt_in, person_sms_opt_out
from services.people.models import Person
from services.people.phones import phone_parse

from ..keywords import answer_of, keyword_of
from ..models import Cause, InboundMessage, Message
from ..reply_handlers import REPLY_WINDOW, reply_handler_for, reply_kinds
from ..sms_templates import Kind
from .schedule import MessageCause, message_schedule, messages_cancel_for_user


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
    users = list(User.objects.filter(phone=phone)) if phone else []
    inbound.people.set(people)
    inbound.users.set(users)
    keyword = keyword_of(body)
    if keyword is None:
        if people or users:
            _answer(inbound, people, users, body)
    elif keyword == "ask":
        if people or users:
            _ask(inbound, people, users)
    elif people or users:
        _keyword_act(inbound, keyword, people, users)
    return inbound


def _ask(inbound: InboundMessage, people: list[Person], users: list[User]) -> None:
    """It may mean STOP: ask them to send STOP again, and change nothing."""
    inbound.action = InboundMessage.Action.ASKED
    inbound.save(update_fields=["action"])
    _reply_to_sender(inbound, "ask", Kind.OPT_OUT_QUESTION, people, users)


def _reply_to_sender(
    inbound: InboundMessage, suffix: str, kind: Kind, people: list[Person], users: list[User]
) -> None:
    """One SMS back to the number that wrote, whatever the hour and the consent: it asked."""
    message_schedule(
        key=f"inbound:{inbound.provider_message_id}:{suffix}",
        kind=kind,
        person=people[0] if people else None,
        user=None if people else users[0],
        channel="" if people else Channel.SMS,
        cause=MessageCause(Cause.REPLY, inbound.pk),
        respect_quiet_hours=False,
        require_consent=False,
    )


def _keyword_act(
    inbound: InboundMessage, keyword: str, people: list[Person], users: list[User]
) -> None:
    """STOP or START for everyone with the number, and one confirmation to it."""
    stop = keyword == "stop"
    reason = f"sms_{keyword}"
    for person in people:
        if stop:
            person_sms_opt_out(person=person, reason=reason)
        else:
            person_sms_opt_in(person=person, reason=reason)
    for user in users:
        if stop:
            volunteer_sms_stop(user=user, reason=reason)
        else:
            user_sms_start(user=user, reason=reason)
    inbound.action = InboundMessage.Action.OPT_OUT if stop else InboundMessage.Action.OPT_IN
    inbound.save(update_fields=["action"])
    kind = Kind.OPT_OUT_CONFIRMATION if stop else Kind.OPT_IN_CONFIRMATION
    _reply_to_sender(inbound, "confirm", kind, people, users)


def volunteer_sms_stop(*, user: User, reason: str) -> None:
    """No more SMS to this volunteer: from now on, and none of those still waiting."""
    user_sms_stop(user=user, reason=reason)
    messages_cancel_for_user(user=user, reason="opted out", sms_only=True)


def _answer(inbound: InboundMessage, people: list[Person], users: list[User], body: str) -> None:
    """
    Hand an answer to the handler of the latest message sent to this number (a person
    served's or a volunteer's, by SMS) that asked for one.
    """
    answer = answer_of(body)
    kinds = reply_kinds()
    if answer is None or not kinds:
        return
    to_this_phone = Q(person__in=people) | Q(user__in=users, channel=Channel.SMS)
    asked = (
        Message.objects.filter(
            to_this_phone,
            kind__in=kinds,
            status__in=(Message.Status.SENT, Message.Status.DELIVERED),
            sent_at__gte=timezone.now() - REPLY_WINDOW,
        )
        .select_related("person", "user")
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
