from typing import Any

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "services.messaging"
    label = "messaging"
    verbose_name = "SMS messaging"

    def ready(self) -> None:
        from services.accounts.signals import account_closed, account_message
        from services.audit.words import record_namer_register
        from services.people.signals import sms_consent_withdrawn

        from . import checks  # noqa: F401 - registers the system checks

        sms_consent_withdrawn.connect(_cancel_pending, dispatch_uid="messaging.consent_withdrawn")
        account_message.connect(_account_message, dispatch_uid="messaging.account_message")
        account_closed.connect(_account_closed, dispatch_uid="messaging.account_closed")
        record_namer_register("messaging.message", "person__code")


def _cancel_pending(sender: Any, person: Any, **kwargs: Any) -> None:
    """No SMS without consent: what still waits for the person is cancelled with it."""
    from .actions.schedule import messages_cancel_for_person

    messages_cancel_for_person(person=person, reason="opted out")


def _account_message(
    sender: Any,
    user: Any,
    key: str,
    kind: str,
    cause_type: str,
    cause_id: int,
    **kwargs: Any,
) -> None:
    """
    An account message (an invitation, a password reset link) into the outbox, in the
    caller's transaction. One still waiting about the same thing is replaced: its link
    no longer works.
    """
    from .actions.redact import messages_redact_secrets
    from .actions.schedule import MessageCause, message_schedule, messages_cancel_for_cause

    replaced = messages_cancel_for_cause(
        cause_type=cause_type, cause_id=cause_id, kind=kind, keep=[key], reason="replaced"
    )
    if replaced:
        messages_redact_secrets(message_ids=_cancelled_ids(user, kind))
    message_schedule(
        key=key,
        kind=kind,
        user=user,
        channel=kwargs["channel"],
        context=kwargs["context"],
        cause=MessageCause(cause_type, cause_id),
        respect_quiet_hours=kwargs["respect_quiet_hours"],
        require_consent=kwargs["require_consent"],
    )


def _account_closed(sender: Any, user: Any, **kwargs: Any) -> None:
    """Nothing still waiting reaches a volunteer whose stay ended or invitation was revoked."""
    from .actions.redact import messages_redact_secrets
    from .actions.schedule import messages_cancel_for_user

    if messages_cancel_for_user(user=user, reason="account closed"):
        messages_redact_secrets(message_ids=_cancelled_ids(user))


def _cancelled_ids(user: Any, kind: str = "") -> list[int]:
    from .models import Message

    cancelled = Message.objects.filter(user=user, status=Message.Status.CANCELLED)
    if kind:
        cancelled = cancelled.filter(kind=kind)
    return list(cancelled.values_list("id", flat=True))
