"""
One-time links out of the outbox once they are no longer needed there.

An invitation or a password reset carries a link that opens an account. The outbox
must hold it until the message has gone (a recovery looks the exact text up at the
provider), and no longer: once a message with such a value (SmsTemplate.secret) is
sent, failed or cancelled, the value is cut from its context and its text, so neither
the SMS log nor the database keeps a link that still works.
"""

from collections.abc import Iterable

from ..models import Message
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
