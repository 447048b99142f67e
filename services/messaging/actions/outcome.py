"""
A coordinator's word on a message whose outcome is unknown.

The provider may or may not have taken it (the answer was lost and its list does not
show it), and Twilio has no idempotency key: sending it again might text the person
twice, not sending it might leave them without their reminder. Only a person can
weigh that, so such a message waits as "unknown" until a coordinator resends it or
gives up on it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record

from ..models import Message
from ..reasons import reason_in_words
from .redact import messages_redact_secrets

S = Message.Status


@transaction.atomic
def message_resend(*, actor: User, message: Message) -> Message:
    """Back to the outbox, due now, as a new attempt."""
    _unknown_locked(message)
    Message.objects.filter(pk=message.pk).update(
        status=S.PENDING,
        claim_token=None,
        sending_started_at=None,
        send_at=timezone.now(),
        error_code="",
        error_reason="",
    )
    audit_record(actor=actor, action="message.resend", target=message)
    message.refresh_from_db()
    return message


@transaction.atomic
def message_give_up(*, actor: User, message: Message) -> Message:
    """Failed for good: the coordinator tells the person some other way, if need be."""
    _unknown_locked(message)
    Message.objects.filter(pk=message.pk).update(
        status=S.FAILED, error_code="given_up", error_reason=reason_in_words("given_up")
    )
    audit_record(actor=actor, action="message.give_up", target=message)
    messages_redact_secrets(message_ids=[message.pk])
    message.refresh_from_db()
    return message


def _unknown_locked(message: Message) -> None:
    locked = Message.objects.select_for_update().filter(pk=message.pk, status=S.UNKNOWN)
    if not locked.exists():
        raise DomainError(_("Only a message whose outcome is unknown can be resent or given up."))
