"""What the provider tells us after a send: refusals, status callbacks."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from services.people.actions import person_sms_opt_out
from services.people.models import Person

from ..models import STATUS_RANK, Message, PendingStatusCallback, statuses_before
from ..reasons import BAD_NUMBER_CODES, UNSUBSCRIBED_CODES, reason_in_words

logger = logging.getLogger(__name__)
S = Message.Status
# Twilio's words for a message it has taken, each as the status it means here.
PROVIDER_STATUSES: dict[str, str] = {
    "accepted": S.SENT,
    "scheduled": S.SENT,
    "queued": S.SENT,
    "sending": S.SENT,
    "sent": S.SENT,
    "delivered": S.DELIVERED,
    "read": S.DELIVERED,
    "undelivered": S.UNDELIVERED,
    "failed": S.FAILED,
}
# Long enough for any recovery of an unrecorded send; a callback still unclaimed after
# this is for another app's message.
PENDING_CALLBACK_RETENTION = timedelta(days=2)


def person_phone_flag(*, person: Person, phone: object, reason: str) -> None:
    """Mark the number as bad, unless the person has changed number since."""
    Person.objects.filter(pk=person.pk, phone=phone).update(
        phone_invalid_at=timezone.now(), phone_invalid_reason=reason
    )


def message_failed_permanently(*, message: Message, code: str) -> None:
    if message.user_id is not None and code in UNSUBSCRIBED_CODES:
        from .replies import volunteer_sms_stop  # replies stand above the provider's news

        volunteer_sms_stop(user=message.user, reason="provider_unsubscribed")  # type: ignore[arg-type]
        return
    person = message.person
    if person is None:
        return
    if code in BAD_NUMBER_CODES:
        phone = message.to_phone or person.phone
        person_phone_flag(person=person, phone=phone, reason=reason_in_words(code))
    elif code in UNSUBSCRIBED_CODES:
        person_sms_opt_out(person=person, reason="provider_unsubscribed")


@transaction.atomic
def message_status_update(
    *, provider_message_id: str, status: str, error_code: str = ""
) -> Message | None:
    """
    Apply a status callback. One for an id not recorded yet is kept until it is (see
    PendingStatusCallback); None is returned then.
    """
    message = _locked_by_provider_id(provider_message_id)
    if message is not None:
        return _status_apply(message, status=status, error_code=error_code)
    now = timezone.now()
    PendingStatusCallback.objects.filter(received_at__lt=now - PENDING_CALLBACK_RETENTION).delete()
    PendingStatusCallback.objects.create(
        provider_message_id=provider_message_id, status=status, error_code=error_code
    )
    # The id may have been recorded, and its pending callbacks looked for, between the
    # lookup above and this commit: look again once the callback is visible to others.
    transaction.on_commit(
        lambda: status_callbacks_apply_pending(provider_message_ids=[provider_message_id])
    )
    return None


def status_callbacks_apply_pending(*, provider_message_ids: list[str]) -> int:
    """
    Apply the callbacks that came before their ids were recorded, oldest first. Called
    after recording ids, and by the webhook after keeping one; whichever deletes a
    pending row applies it, so each is applied once. Returns how many were applied.
    """
    pending = list(
        PendingStatusCallback.objects.filter(provider_message_id__in=provider_message_ids)
        .order_by("id")
        .values_list("id", "provider_message_id", "status", "error_code")
    )
    applied = 0
    for pk, provider_message_id, status, error_code in pending:
        with transaction.atomic():
            message = _locked_by_provider_id(provider_message_id)
            if message is None:
                continue  # still unknown: the recording will apply it
            if PendingStatusCallback.objects.filter(pk=pk).delete()[0]:
                _status_apply(message, status=status, error_code=error_code)
                applied += 1
    return applied


def _locked_by_provider_id(provider_message_id: str) -> Message | None:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("person", "user")
        .filter(provider_message_id=provider_message_id)
        .first()
    )


def _status_apply(message: Message, *, status: str, error_code: str) -> Message:
    """
    Move the message forward to what the provider reports (models.STATUS_RANK); a
    report that comes late, after a later one, changes nothing at all.
    """
    new_status = PROVIDER_STATUSES.get(status)
    if new_status == message.status:
        Message.objects.filter(pk=message.pk, status=new_status).update(provider_status=status)
        message.refresh_from_db()
        return message
    if new_status is None or STATUS_RANK[new_status] <= STATUS_RANK[message.status]:
        logger.info("Late status %r of message %s ignored (%s)", status, message.pk, message.status)
        return message
    changes: dict[str, object] = {"status": new_status, "provider_status": status}
    if new_status == S.DELIVERED:
        changes["delivered_at"] = timezone.now()
    if error_code and new_status in (S.UNDELIVERED, S.FAILED):
        changes["error_code"] = error_code
        changes["error_reason"] = reason_in_words(error_code)
        message_failed_permanently(message=message, code=error_code)
    Message.objects.filter(pk=message.pk, status__in=statuses_before(new_status)).update(**changes)
    message.refresh_from_db()
    return message
