from typing import Any

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "services.messaging"
    label = "messaging"
    verbose_name = "SMS messaging"

    def ready(self) -> None:
        from services.people.signals import sms_consent_withdrawn

        sms_consent_withdrawn.connect(_cancel_pending, dispatch_uid="messaging.consent_withdrawn")


def _cancel_pending(sender: Any, person: Any, **kwargs: Any) -> None:
    """No SMS without consent: what still waits for the person is cancelled with it."""
    from .actions.schedule import messages_cancel_for_person

    messages_cancel_for_person(person=person, reason="opted out")
