"""What the provider tells us after a send: refusals, status callbacks."""

from django.db import transaction
from django.utils import timezone

from services.people.actions import person_sms_opt_out
from services.people.models import Person

from ..models import Message
from ..reasons import BAD_NUMBER_CODES, UNSUBSCRIBED_CODES, reason_in_words

S = Message.Status
# A later callback never moves a message back (a late "sent" after "delivered").
_RANK: dict[str, int] = {S.SENT: 1, S.UNDELIVERED: 2, S.FAILED: 2, S.DELIVERED: 3}
_FINAL = {"delivered": S.DELIVERED, "undelivered": S.UNDELIVERED, "failed": S.FAILED}


def person_phone_flag(*, person: Person, phone: object, reason: str) -> None:
    """Mark the number as bad, unless the person has changed number since."""
    Person.objects.filter(pk=person.pk, phone=phone).update(
        phone_invalid_at=timezone.now(), phone_invalid_reason=reason
    )


def message_failed_permanently(*, message: Message, code: str) -> None:
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
    """Apply a status callback. Unknown ids are ignored (another app, or long purged)."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(provider_message_id=provider_message_id)
        .first()
    )
    if message is None:
        return None
    changes: dict[str, object] = {"provider_status": status}
    new_status = _FINAL.get(status)
    if new_status and _RANK[new_status] > _RANK.get(message.status, 0):
        changes["status"] = new_status
        if new_status == S.DELIVERED:
            changes["delivered_at"] = timezone.now()
    if error_code and new_status in (S.UNDELIVERED, S.FAILED):
        changes["error_code"] = error_code
        changes["error_reason"] = reason_in_words(error_code)
        message_failed_permanently(message=message, code=error_code)
    Message.objects.filter(pk=message.pk).update(**changes)
    message.refresh_from_db()
    return message
