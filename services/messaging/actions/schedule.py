"""
Putting messages in the outbox. Called inside the transaction of the change that
causes the message, so the message exists exactly when the change does.

A message goes to a person served (by SMS, with their consent) or to a volunteer (by
their own channel or the one the message names, while their account is in use and,
for SMS, until they reply STOP).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from services.accounts.models import Channel, User
from services.people.models import Person

from ..email_templates import email_check
from ..models import Broadcast, Message
from ..sms_templates import template_check_context

REOPENABLE = (Message.Status.PENDING, Message.Status.CANCELLED)


@dataclass(frozen=True)
class MessageCause:
    """
    What a message is about, stored in its cause columns: a Cause, the record's id and,
    for an appointment or a shift, its start as it stood when the message was scheduled.
    """

    type: str
    id: int
    at: datetime | None = None

    def columns(self) -> dict[str, Any]:
        return {"cause_type": self.type, "cause_id": self.id, "cause_at": self.at}


def _cause_columns(cause: MessageCause | None) -> dict[str, Any]:
    return cause.columns() if cause else {"cause_type": "", "cause_id": None, "cause_at": None}


def person_can_receive(person: Person, *, needs_consent: bool = True) -> bool:
    """A phone that has not bounced, and consent unless the message is a STOP/START reply."""
    if not _has_phone(person.phone) or person.phone_invalid_at is not None:
        return False
    return person.sms_consent or not needs_consent


def user_channel(user: User, channel: str = "") -> str:
    """The channel a volunteer's message goes by: the one it names, or theirs."""
    return channel or user.notify_by


def user_can_receive(user: User, *, channel: str = "", needs_consent: bool = True) -> bool:
    """
    An address for the channel; and unless the message opens or restores the account
    (or confirms STOP/START), an account in use and, for SMS, no STOP since.
    """
    if needs_consent and (not user.is_active or user.has_left()):
        return False
    if user_channel(user, channel) == Channel.EMAIL:
        return bool(user.email)
    if not _has_phone(user.phone):
        return False
    return user.sms_stopped_at is None or not needs_consent


def _has_phone(phone: object) -> bool:
    """`not phone` without len() of a PhoneNumber, which validates and formats it."""
    if isinstance(phone, PhoneNumber):
        return bool(phone.raw_input or phone.national_number)
    return bool(phone)


def message_schedule(
    *,
    key: str,
    kind: str,
    person: Person | None = None,
    user: User | None = None,
    channel: str = "",
    cause: MessageCause | None = None,
    context: dict[str, Any] | None = None,
    send_at: datetime | None = None,
    respect_quiet_hours: bool = True,
    require_consent: bool = True,
) -> Message | None:
    """
    Schedule (or re-schedule) the message with this idempotency key, about `cause`, to
    a person or a volunteer (`user`, by `channel` or their own).

    A pending or cancelled row with the key is updated; a row already on its way or
    sent is left alone and returned. When the recipient cannot receive it (no consent,
    no address, an account not in use) nothing is scheduled, any pending row with the
    key is cancelled, and None is returned.
    """
    context = {name: str(value) for name, value in (context or {}).items()}
    template_check_context(kind, context)
    recipient = _recipient(kind, person, user, channel, require_consent)
    if recipient is None:
        message_cancel(key=key, reason="no consent")
        return None
    values = {
        "kind": kind,
        **recipient,
        "context": context,
        "send_at": send_at or timezone.now(),
        "respect_quiet_hours": respect_quiet_hours,
        "needs_consent": require_consent,
        "status": Message.Status.PENDING,
        "error_code": "",
        "error_reason": "",
        **_cause_columns(cause),
    }
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(idempotency_key=key).first()
        if message is None:
            try:
                with transaction.atomic():
                    return Message.objects.create(idempotency_key=key, **values)
            except IntegrityError:  # scheduled at the same moment elsewhere
                message = Message.objects.select_for_update().get(idempotency_key=key)
        if message.status not in REOPENABLE:
            return message
        for name, value in values.items():
            setattr(message, name, value)
        message.save(update_fields=[*values])
        return message


def _recipient(
    kind: str, person: Person | None, user: User | None, channel: str, require_consent: bool
) -> dict[str, Any] | None:
    """The recipient's columns, or None when they cannot receive the message."""
    if person is not None and user is None:
        if channel not in ("", Channel.SMS):
            raise ValueError("A person served is only ever texted.")
        if not person_can_receive(person, needs_consent=require_consent):
            return None
        return {"person": person, "user": None, "channel": "", "language": person.language}
    if user is None or person is not None:
        raise ValueError("A message goes to one person or one volunteer.")
    if channel not in ("", *Channel.values):
        raise ValueError(f"Unknown channel {channel!r}.")
    if channel != Channel.SMS:
        email_check(kind)  # it goes, or may go, by e-mail
    if not user_can_receive(user, channel=channel, needs_consent=require_consent):
        return None
    language = user.language or settings.LANGUAGE_CODE
    return {"person": None, "user": user, "channel": channel, "language": language}


@dataclass
class ScheduleItem:
    key: str
    kind: str
    person: Person
    cause: MessageCause | None = None
    context: dict[str, Any] = field(default_factory=dict)
    send_at: datetime | None = None
    respect_quiet_hours: bool = True
    broadcast: Broadcast | None = None


def messages_schedule_bulk(*, items: Iterable[ScheduleItem], chunk: int = 2000) -> int:
    """
    message_schedule() for many messages at once (broadcasts, a day's reminders):
    a few queries per chunk instead of a few per message. Returns how many were written.
    """
    written = 0
    batch: list[ScheduleItem] = []
    for item in items:
        template_check_context(item.kind, item.context)
        if person_can_receive(item.person):
            batch.append(item)
        if len(batch) >= chunk:
            written += _schedule_chunk(batch)
            batch = []
    if batch:
        written += _schedule_chunk(batch)
    return written


@transaction.atomic
def _schedule_chunk(items: list[ScheduleItem]) -> int:
    now = timezone.now()
    existing = {
        message.idempotency_key: message
        for message in Message.objects.select_for_update().filter(
            idempotency_key__in=[item.key for item in items]
        )
    }
    new: list[dict[str, Any]] = []
    changed = []
    for item in items:
        values = {
            "kind": item.kind,
            "person": item.person,
            "language": item.person.language,
            "context": {name: str(value) for name, value in item.context.items()},
            "send_at": item.send_at or now,
            "respect_quiet_hours": item.respect_quiet_hours,
            "status": Message.Status.PENDING,
            "broadcast": item.broadcast,
            **_cause_columns(item.cause),
        }
        message = existing.get(item.key)
        if message is None:
            new.append({"idempotency_key": item.key, **values})
        elif message.status in REOPENABLE:
            for name, value in values.items():
                setattr(message, name, value)
            changed.append(message)
    _messages_insert(new)
    fields = [
        "kind",
        "person",
        "language",
        "context",
        "send_at",
        "respect_quiet_hours",
        "status",
        "broadcast",
        "cause_type",
        "cause_id",
        "cause_at",
    ]
    Message.objects.bulk_update(changed, fields, batch_size=1000)
    return len(new) + len(changed)


def _messages_insert(rows: list[dict[str, Any]]) -> None:
    """
    Insert new messages, each a dict of field values (the same fields in each). On
    PostgreSQL through COPY: bulk_create() builds a model instance and prepares all 26
    columns of each row in Python, which made it most of the time of a large broadcast;
    here only the given fields are prepared per row, the defaults once.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        Message.objects.bulk_create([Message(**row) for row in rows], batch_size=1000)
        return
    now = timezone.now()
    given, defaults = [], []
    for model_field in Message._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.name in rows[0]:
            given.append(model_field)
        else:
            auto_now = getattr(model_field, "auto_now_add", False)
            value = now if auto_now else model_field.get_default()
            defaults.append((model_field, model_field.get_db_prep_save(value, connection)))
    quote = connection.ops.quote_name
    columns = [quote(str(f.column)) for f in [*given, *(f for f, _value in defaults)]]
    sql = f"COPY {quote(Message._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    constant = [value for _field, value in defaults]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = [f.get_db_prep_save(_attribute(f, row[f.name]), connection) for f in given]
            copy.write_row([*values, *constant])


def _attribute(model_field: Field, value: Any) -> Any:
    """A foreign key's column holds the related row's key."""
    if model_field.is_relation:
        return value.pk if value is not None else None
    return value


def message_cancel(*, key: str, reason: str = "") -> bool:
    """Cancel the pending message with this key (its cause was cancelled)."""
    return bool(
        Message.objects.filter(idempotency_key=key, status=Message.Status.PENDING).update(
            status=Message.Status.CANCELLED, error_reason=reason
        )
    )


def messages_cancel_for_cause(
    *,
    cause_type: str,
    cause_id: int,
    reason: str = "",
    kind: str = "",
    keep: Iterable[str] = (),
    user: User | None = None,
) -> int:
    """
    Cancel every pending message about this record (of this kind, to this volunteer,
    when given), except those whose keys are in keep.
    """
    pending = Message.objects.filter(
        cause_type=cause_type, cause_id=cause_id, status=Message.Status.PENDING
    )
    if kind:
        pending = pending.filter(kind=kind)
    if user is not None:
        pending = pending.filter(user=user)
    return pending.exclude(idempotency_key__in=list(keep)).update(
        status=Message.Status.CANCELLED, error_reason=reason
    )


def messages_cancel_for_person(*, person: Person, reason: str) -> int:
    """Cancel everything still waiting for this person (they opted out)."""
    return Message.objects.filter(person=person, status=Message.Status.PENDING).update(
        status=Message.Status.CANCELLED, error_reason=reason
    )


def messages_cancel_for_user(*, user: User, reason: str, sms_only: bool = False) -> int:
    """
    Cancel what still waits for this volunteer: everything (their account closed), or
    what would go by SMS (they replied STOP), except the replies confirming STOP/START.
    """
    pending = Message.objects.filter(user=user, status=Message.Status.PENDING)
    if sms_only:
        pending = pending.filter(needs_consent=True)
        if user.notify_by == Channel.SMS:
            pending = pending.exclude(channel=Channel.EMAIL)
        else:
            pending = pending.filter(channel=Channel.SMS)
    return pending.update(status=Message.Status.CANCELLED, error_reason=reason)
