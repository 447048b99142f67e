"""
One-time links out of the outbox once they are no longer needed there.

An invitation or a password reset carries a link that opens an account. The outbox
must hold it until the message has gone (a recovery looks the exact text up at the
provider), and no longer: once a message with such a value (SmsTemplate.secret) is
sent, failed or cancelled, the value is cut from its context and its text, so neither
the SMS log nor the database keeps a link that still works.

The rest of a message's contents go later: after the SMS keeping time (the nightly
retention run, services/privacy), or at once when its person is anonymised or erased.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet

from ..models import InboundMessage, Message
from ..sms_templates import TEMPLATES

S = Message.Status
DONE = (S.SENT, S.DELIVERED, S.UNDELIVERED, S.FAILED, S.CANCELLED)
REMOVED = "[removed]"
SECRET_KINDS = [kind for kind, template in TEMPLATES.items() if template.secret]


def messages_redact_secrets(*, message_ids: Iterable[int]) -> int:
    """Cut the secret values of these messages that are done. Returns how many changed."""
    rows = Message.objects.filter(
        id__in=list(message_ids), kind__in=SECRET_KINDS, status__in=DONE
    ).only("id", "kind", "body", "context")
    changed = 0
    for message in rows:
        names = TEMPLATES[message.kind].secret
        values = [
            str(message.context[n]) for n in names if message.context.get(n, REMOVED) != REMOVED
        ]
        if not values:
            continue
        body = message.body
        for value in values:
            body = body.replace(value, REMOVED)
        context = {n: (REMOVED if n in names else v) for n, v in message.context.items()}
        changed += Message.objects.filter(pk=message.pk).update(body=body, context=context)
    return changed


def _has_contents() -> Q:
    return ~Q(body="") | ~Q(to_phone="") | ~Q(to_email="") | ~Q(subject="") | ~Q(context={})


CLEARED = {"body": "", "to_phone": "", "to_email": "", "subject": "", "context": {}}


def messages_old_with_contents(*, before: datetime) -> QuerySet[Message]:
    """The messages done before `before` that still hold a text, number or context."""
    return Message.objects.filter(status__in=DONE, send_at__lt=before).filter(_has_contents())


def replies_old_with_contents(*, before: datetime) -> QuerySet[InboundMessage]:
    """The replies received before `before` that still hold a text or number."""
    return InboundMessage.objects.filter(received_at__lt=before).filter(
        ~Q(body="") | ~Q(from_phone="")
    )


def messages_purge_contents(*, before: datetime) -> int:
    """
    The text, number, address and context of the messages done before `before` go; the
    rows stay, with their kind, language, segments and status, so the counts and costs
    of the month still add up. Idempotent: a purged message has nothing left to cut.
    """
    return messages_old_with_contents(before=before).update(**CLEARED)


def inbound_purge_contents(*, before: datetime) -> int:
    """The text and number of the replies received before `before` go; the rows stay."""
    return replies_old_with_contents(before=before).update(body="", from_phone="")


def messages_forget_person(*, person_id: int) -> int:
    """
    Everything a person's messages and replies say, at once (their record is anonymised
    or erased). What still waits was cancelled with their consent; nothing in flight is
    touched, and its text goes on the next purge.
    """
    sent = (
        Message.objects.filter(person_id=person_id, status__in=DONE)
        .filter(_has_contents())
        .update(**CLEARED)
    )
    replies = (
        InboundMessage.objects.filter(people__id=person_id)
        .filter(~Q(body="") | ~Q(from_phone=""))
        .update(body="", from_phone="")
    )
    return sent + replies
