"""
One UPDATE for a whole send batch, where the ORM would need one per row.

messages_send_claimed() writes every text of its batch before the first provider call,
and records accepted sends in groups after (AcceptedSends). Each row gets its own values, which
QuerySet.update() cannot do, and bulk_update()'s CASE WHEN per field costs more Python
than it saves. PostgreSQL joins the rows from unnest() of one array per column; other
databases (SQLite for the demo and the default test run) select the rows still ours
and run executemany() of a per-row UPDATE, in one transaction.
"""

import time
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Field
from django.utils import timezone

from ..backends import SendResult
from ..models import Message
from .provider import status_callbacks_apply_pending

S = Message.Status
SENT_FIELDS = (
    "status",
    "provider_message_id",
    "provider_status",
    "sent_at",
    "error_code",
    "error_reason",
)
# Accepted sends are recorded in groups of at most this many, or this old.
ACCEPTED_GROUP = 50
ACCEPTED_WAIT_SECONDS = 1.0


def messages_write_sending(
    messages: Sequence[Message], fields: Sequence[str], *, token: uuid.UUID
) -> set[int]:
    """
    Write `fields` of each message from the instance, only where the row is still
    `sending` under `token`. Returns the ids written.
    """
    if not messages:
        return set()
    model = [_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(Message._meta.db_table)
    columns = [quote(field.get_attname_column()[1] or "") for field in model]
    pk, status, claim_token = (
        quote(_field(n).get_attname_column()[1] or "") for n in ("id", "status", "claim_token")
    )
    guard = [
        _field("status").get_db_prep_value(Message.Status.SENDING, connection),
        _field("claim_token").get_db_prep_value(token, connection),
    ]
    rows = [
        [field.get_db_prep_value(getattr(message, field.attname), connection) for field in model]
        for message in messages
    ]
    # Identifiers and types come from the model; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [f"v{i}" for i in range(len(model))]
            assign = ", ".join(f"{c} = v.{n}" for c, n in zip(columns, names, strict=True))
            arrays = ", ".join(
                f"%s::{t}[]" for t in ["bigint", *(f.db_type(connection) for f in model)]
            )
            source = f"unnest({arrays}) AS v(id, {', '.join(names)})"
            where = f"m.{pk} = v.id AND m.{status} = %s AND m.{claim_token} = %s"
            sql = f"UPDATE {table} AS m SET {assign} FROM {source} WHERE {where} RETURNING m.{pk}"  # noqa: S608
            by_column = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(sql, [[m.pk for m in messages], *by_column, *guard])
            return {row[0] for row in cursor.fetchall()}
        assign = ", ".join(f"{c} = %s" for c in columns)
        where = f"{pk} = %s AND {status} = %s AND {claim_token} = %s"
        update = f"UPDATE {table} SET {assign} WHERE {where}"  # noqa: S608
        ids = ", ".join(["%s"] * len(messages))
        where = f"{pk} IN ({ids}) AND {status} = %s AND {claim_token} = %s"
        select = f"SELECT {pk} FROM {table} WHERE {where}"  # noqa: S608
        # One writer at a time (SQLite): nothing changes these rows between the two.
        with transaction.atomic():
            cursor.execute(select, [*(m.pk for m in messages), *guard])
            written = {row[0] for row in cursor.fetchall()}
            params = [
                [*values, message.pk, *guard]
                for message, values in zip(messages, rows, strict=True)
                if message.pk in written
            ]
            cursor.executemany(update, params)
        return written


class AcceptedSends:
    """
    Accepted sends waiting to be recorded, at most ACCEPTED_GROUP of them or
    ACCEPTED_WAIT_SECONDS old. One not recorded when the worker dies is still `sending`
    with its text, so recovery finds it at the provider; a status callback that comes
    first waits in PendingStatusCallback.
    """

    def __init__(self, token: uuid.UUID) -> None:
        self.token = token
        self.waiting: list[Message] = []
        self.since = 0.0
        self.recorded = 0

    def add(self, message: Message, result: SendResult) -> None:
        message.status = S.SENT
        message.provider_message_id = result.provider_message_id
        message.provider_status = result.status
        message.sent_at = timezone.now()
        message.error_code = message.error_reason = ""
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting.append(message)
        if len(self.waiting) >= ACCEPTED_GROUP or (
            time.monotonic() - self.since >= ACCEPTED_WAIT_SECONDS
        ):
            self.record()

    def record(self) -> None:
        if not self.waiting:
            return
        group, self.waiting = self.waiting, []
        written = messages_write_sending(group, SENT_FIELDS, token=self.token)
        self.recorded += len(written)
        status_callbacks_apply_pending(
            provider_message_ids=[m.provider_message_id for m in group if m.pk in written]
        )


# While each send takes less than FAST_SEND_SECONDS, one stamp covers STAMP_GROUP.
STAMP_GROUP = 10
FAST_SEND_SECONDS = 0.05


class SendStarts:
    """
    Proof, right before a provider call, that this worker still holds the message: an
    UPDATE on its token that stamps sending_started_at, committed before the call. A
    recovery puts back in the outbox only rows not stamped, so the two never both
    send; a stamped row whose outcome was never written is looked up instead, once
    SMS_SENDING_TIMEOUT_SECONDS have passed since its stamp.

    A stamp per message would cost a commit per message. While the provider answers
    fast, one stamp covers the next STAMP_GROUP sends; when it is slow, one. A worker
    that dies leaves at most that many stamped but never sent: they look like lost
    answers, and wait for a coordinator rather than go twice. A stamp too old to
    finish a call before a recovery may look is not used (its message waits, too).
    """

    def __init__(self, token: uuid.UUID, messages: Sequence[Message]) -> None:
        self.token = token
        self.order = {message.pk: index for index, message in enumerate(messages)}
        self.messages = list(messages)
        self.stamped_at: dict[int, float] = {}
        self.last_send: float | None = None
        self.usable_for = settings.SMS_SENDING_TIMEOUT_SECONDS - settings.SMS_HTTP_TIMEOUT

    def held(self, message: Message) -> bool:
        if message.pk not in self.stamped_at:
            self._stamp_from(self.order[message.pk])
        stamped_at = self.stamped_at.get(message.pk)
        return stamped_at is not None and time.monotonic() - stamped_at < self.usable_for

    def took(self, seconds: float) -> None:
        self.last_send = seconds

    def _stamp_from(self, index: int) -> None:
        fast = self.last_send is not None and self.last_send < FAST_SEND_SECONDS
        group = self.messages[index : index + (STAMP_GROUP if fast else 1)]
        ids = [message.pk for message in group]
        now, began = timezone.now(), time.monotonic()
        mine = Message.objects.filter(id__in=ids, status=S.SENDING, claim_token=self.token)
        stamped = mine.filter(sending_started_at__isnull=True).update(
            sending_started_at=now, attempts=F("attempts") + 1
        )
        held = set(ids)
        if stamped < len(ids):  # some were given back meanwhile
            held = set(mine.filter(sending_started_at=now).values_list("id", flat=True))
        for message in group:
            if message.pk in held:
                message.sending_started_at = now
                message.attempts += 1
                self.stamped_at[message.pk] = began


def _field(name: str) -> Field:
    field = Message._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 - a concrete column, for the type checker
    return field
