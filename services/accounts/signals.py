"""
What accounts tell the apps above them. Accounts stand below messaging, so an account
change that must reach the volunteer (an invitation, a password reset link) is
announced here, inside the change's transaction, and messaging puts it in its outbox.
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# Put a message to `user` in the outbox, in this transaction. Keyword arguments:
# key (idempotency key), kind (a messaging Kind value), channel ("sms", "email", or ""
# for the user's own), context (the template's values), cause_type and cause_id (what
# it is about), respect_quiet_hours, require_consent (False for messages that open or
# restore an account, which go to an account not yet, or no longer, in use).
account_message = Signal()

# Nothing still waiting may reach `user` any more: their stay ended, or their
# invitation was revoked.
account_closed = Signal()


def account_message_send(
    *,
    user: object,
    key: str,
    kind: str,
    channel: str,
    context: dict[str, str],
    cause_type: str,
    cause_id: int,
    respect_quiet_hours: bool = True,
    require_consent: bool = True,
) -> None:
    """Announce a message for the outbox; an installation without an outbox is a mistake."""
    answered = account_message.send(
        sender=type(user),
        user=user,
        key=key,
        kind=kind,
        channel=channel,
        context=context,
        cause_type=cause_type,
        cause_id=cause_id,
        respect_quiet_hours=respect_quiet_hours,
        require_consent=require_consent,
    )
    if not answered:
        raise ImproperlyConfigured("No outbox takes account messages: install services.messaging.")
