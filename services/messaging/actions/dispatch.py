"""
From the outbox to the provider, never losing and never doubling a message.

1. messages_claim_due() moves due rows pending -> claimed under a fresh token, in one
   short transaction that skips rows another dispatcher holds (SKIP LOCKED on
   PostgreSQL; SQLite serialises writers, which is equally safe).
2. messages_send_claimed() (in a Celery worker) moves claimed -> sending under a new
   token, so a task delivered twice sends nothing the second time; it writes the exact
   texts and numbers of the batch before calling the provider, then the outcomes after
   (accepted ones in groups: a status callback that comes first waits for its row).
   Right before its provider call the worker proves it still holds the row: an UPDATE
   on its token that stamps sending_started_at must change it, or the send is skipped
   (SendStarts: one row at a time when the provider is slow, a few when it is fast).
3. messages_recover_stale() puts claims whose task was lost (Redis flushed) back to
   pending, and so too the rows of a batch that a worker has held too long without
   starting their send (slow provider, or the worker died): the stamp is still empty,
   so they never left, and the worker's own stamp can no longer succeed. Sends whose
   outcome was never written (worker killed, provider timed out) are looked up at the
   provider: found means sent; not found means unknown, never sent again blindly, as
   Twilio has no idempotency key: a coordinator resends it or gives up (outcome.py).

A volunteer's message goes the same way, by SMS or by e-mail (backends/email.py). An
e-mail cannot be looked up: one whose outcome was never written is sent again with
the same Message-ID, which the reader's mail program shows once.
"""

import logging
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Channel, User

from ..backends import (
    PermanentSendError,
    SendResult,
    SmsBackend,
    TransientSendError,
    UnknownOutcomeError,
    get_backend,
)
from ..backends.email import EmailSender
from ..email_templates import email_render
from ..models import Message
from ..quiet_hours import in_quiet_hours
from ..reasons import reason_in_words
from ..segments import segment_count
from ..sms_templates import template_render
from .batch_writes import AcceptedSends, SendStarts, messages_write_sending
from .provider import message_failed_permanently, status_callbacks_apply_pending
from .redact import messages_redact_secrets
from .schedule import person_can_receive, user_can_receive, user_channel

logger = logging.getLogger(__name__)
S = Message.Status
# The provider's clock and ours may differ a little; look a bit further back.
LOOKUP_SKEW = timedelta(seconds=30)
# What a batch writes before its provider calls.
TEXT_FIELDS = (
    "body",
    "subject",
    "channel",
    "to_phone",
    "to_email",
    "language",
    "rendered_language",
    "encoding",
    "segments",
)


@dataclass(frozen=True)
class Claim:
    message_ids: list[int]
    token: uuid.UUID


def messages_claim_due(*, limit: int, now: datetime | None = None) -> Claim | None:
    now = now or timezone.now()
    with transaction.atomic():
        due = Message.objects.select_for_update(skip_locked=True).filter(
            status=S.PENDING, send_at__lte=now
        )
        if in_quiet_hours(now):
            due = due.filter(respect_quiet_hours=False)
        ids = list(due.order_by("send_at", "id").values_list("id", flat=True)[:limit])
        if not ids:
            return None
        token = uuid.uuid4()
        Message.objects.filter(id__in=ids, status=S.PENDING).update(
            status=S.CLAIMED, claim_token=token, claimed_at=now
        )
    return Claim(ids, token)


def _retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: ~1, 2, 4 ... times the base, each ±50%."""
    base = settings.SMS_RETRY_BASE_SECONDS * (2 ** max(0, attempts - 1))
    return timedelta(seconds=base * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not a secret


def _status_callback_url() -> str | None:
    base = settings.SMS_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('messaging:twilio_status')}" if base else None


@dataclass
class SendReport:
    accepted: int = 0
    unknown: list[int] = field(default_factory=list)  # to look up at the provider later


def messages_send_claimed(*, message_ids: list[int], claim_token: str) -> SendReport:
    """
    Send the claimed messages that are still ours, in a few statements per batch: all
    texts in one before the first provider call, accepted sends in groups after theirs
    (AcceptedSends); a refusal or a retry is written at once. The one-time links of
    those that are done are then cut from the outbox (redact.py).
    """
    report = SendReport()
    send_token = uuid.uuid4()
    now = timezone.now()
    taken = Message.objects.filter(
        id__in=message_ids, status=S.CLAIMED, claim_token=claim_token
    ).update(status=S.SENDING, claim_token=send_token, claimed_at=now, sending_started_at=None)
    if not taken:
        return report
    rows = Message.objects.filter(claim_token=send_token, status=S.SENDING).select_related(
        "person", "user"
    )
    ready = _texts_write(list(rows), send_token)
    senders = _Senders(get_backend(), EmailSender(), _status_callback_url())
    accepted = AcceptedSends(send_token)
    starts = SendStarts(send_token, ready)
    try:
        for message in ready:
            if not starts.held(message):
                continue  # recovery gave it back to the outbox: another worker sends it
            began = time.monotonic()
            _send_one(message, send_token, senders, report, accepted)
            starts.took(time.monotonic() - began)
    finally:
        senders.email.close()
        accepted.record()
        report.accepted = accepted.recorded
        messages_redact_secrets(message_ids=message_ids)
    return report


def _texts_write(rows: list[Message], token: uuid.UUID) -> list[Message]:
    """
    Render each message and write its exact text and address, before any provider
    call: they are what a recovery looks up if this worker dies before recording the
    outcome. Messages whose recipient can no longer receive them are cancelled instead.
    """
    ready: list[Message] = []
    cancelled: dict[str, list[int]] = {"no_consent": [], "unreachable": []}
    for message in rows:
        if message.user is not None:
            rendered = _render_for_user(message, message.user)
            reason = "unreachable"
        else:
            rendered = _render_for_person(message)
            reason = "no_consent"
        if not rendered:
            cancelled[reason].append(message.pk)
            continue
        ready.append(message)
    for code, ids in cancelled.items():
        if ids:
            Message.objects.filter(id__in=ids, status=S.SENDING, claim_token=token).update(
                status=S.CANCELLED, error_code=code, error_reason=reason_in_words(code)
            )
    written = messages_write_sending(ready, TEXT_FIELDS, token=token)
    return [message for message in ready if message.pk in written]


def _render_for_person(message: Message) -> bool:
    person = message.person
    if person is None or not person_can_receive(person, needs_consent=message.needs_consent):
        return False
    message.channel = Channel.SMS
    message.to_phone = person.phone
    _render_sms(message, person.language)
    return True


def _render_for_user(message: Message, user: User) -> bool:
    """By the channel the message names, or the volunteer's own as it is now."""
    channel = user_channel(user, message.channel)
    if not user_can_receive(user, channel=channel, needs_consent=message.needs_consent):
        return False
    message.channel = channel
    message.language = user.language or settings.LANGUAGE_CODE
    if channel == Channel.EMAIL:
        rendered = email_render(message.kind, message.language, message.context)
        message.to_email = user.email
        message.subject, message.body = rendered.subject, rendered.body
        message.rendered_language = rendered.language
        message.encoding, message.segments = "", 0
    else:
        message.to_phone = user.phone
        _render_sms(message, message.language)
    return True


def _render_sms(message: Message, language: str) -> None:
    rendered = template_render(message.kind, language, message.context)
    count = segment_count(rendered.text)
    message.body = rendered.text
    message.language = language
    message.rendered_language = rendered.language
    message.encoding = count.encoding
    message.segments = count.segments


@dataclass(frozen=True)
class _Senders:
    sms: SmsBackend
    email: EmailSender
    status_callback: str | None

    def send(self, message: Message) -> SendResult:
        if message.channel == Channel.EMAIL:
            return self.email.send(
                to=message.to_email,
                subject=message.subject,
                body=message.body,
                reference=message.idempotency_key,
            )
        return self.sms.send(
            to=str(message.to_phone),
            body=message.body,
            reference=message.idempotency_key,
            status_callback=self.status_callback,
        )


def _send_one(
    message: Message,
    token: uuid.UUID,
    senders: _Senders,
    report: SendReport,
    accepted: AcceptedSends,
) -> None:
    try:
        result = senders.send(message)
    except UnknownOutcomeError as error:
        logger.warning("SMS %s: outcome unknown (%s), will look it up", message.pk, error)
        report.unknown.append(message.pk)
        return
    except TransientSendError as error:
        _retry_or_fail(_mine(message, token), message.attempts, error.code, error.reason)
        return
    except PermanentSendError as error:
        _mine(message, token).update(
            status=S.FAILED,
            error_code=error.code,
            error_reason=reason_in_words(error.code, error.reason),
        )
        message_failed_permanently(message=message, code=error.code)
        return
    accepted.add(message, result)


def _mine(message: Message, token: uuid.UUID) -> QuerySet[Message]:
    return Message.objects.filter(pk=message.pk, status=S.SENDING, claim_token=token)


def _retry_or_fail(mine: QuerySet[Message], attempts: int, code: str, provider_text: str) -> None:
    reason = reason_in_words(code, provider_text)
    if attempts >= settings.SMS_MAX_ATTEMPTS:
        mine.update(status=S.FAILED, error_code=code, error_reason=reason)
    else:
        mine.update(
            status=S.PENDING,
            claim_token=None,
            send_at=timezone.now() + _retry_delay(attempts),
            error_code=code,
            error_reason=reason,
        )


def message_recover(*, message_id: int) -> None:
    """
    Resolve a send whose outcome was never written: sent if the provider has it,
    unknown if not (a coordinator decides), back to the outbox if it never started.
    """
    message = Message.objects.filter(pk=message_id, status=S.SENDING).first()
    if message is None:
        return
    mine = Message.objects.filter(pk=message.pk, status=S.SENDING, claim_token=message.claim_token)
    if message.sending_started_at is None:
        mine.update(status=S.PENDING, claim_token=None, send_at=timezone.now())
        return
    if message.channel == Channel.EMAIL:
        # No look-up for e-mail: again, under the same Message-ID (backends/email.py).
        _retry_or_fail(mine, message.attempts, "no_answer", "")
        messages_redact_secrets(message_ids=[message.pk])
        return
    since = message.sending_started_at - LOOKUP_SKEW
    try:
        found = get_backend().lookup(to=str(message.to_phone), body=message.body, since=since)
    except TransientSendError:
        return  # the next sweep asks again
    known = set(
        Message.objects.filter(provider_message_id__in=[r.provider_message_id for r in found])
        .exclude(pk=message.pk)
        .values_list("provider_message_id", flat=True)
    )
    match = next((r for r in found if r.provider_message_id not in known), None)
    if match is not None:
        mine.update(
            status=S.SENT,
            provider_message_id=match.provider_message_id,
            provider_status=match.status,
            sent_at=timezone.now(),
        )
        status_callbacks_apply_pending(provider_message_ids=[match.provider_message_id])
    else:
        mine.update(
            status=S.UNKNOWN, error_code="no_answer", error_reason=reason_in_words("no_answer")
        )
    messages_redact_secrets(message_ids=[message.pk])


@dataclass(frozen=True)
class Recovery:
    requeue: list[Claim]  # claims whose task may be lost: hand them out again
    unresolved: list[int]  # sends without a recorded outcome: look them up

    @property
    def reclaimed(self) -> int:
        return sum(len(claim.message_ids) for claim in self.requeue)


def messages_recover_stale(*, now: datetime | None = None) -> Recovery:
    """
    Stale claims keep their token and are handed out again: if the first task was only
    slow, not lost, whichever copy runs first sends and the other finds nothing to do.
    """
    now = now or timezone.now()
    claim_cutoff = now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT_SECONDS)
    with transaction.atomic():
        stale = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=S.CLAIMED, claimed_at__lt=claim_cutoff)
            .order_by("id")
            .values_list("id", "claim_token")[:2000]
        )
        Message.objects.filter(id__in=[pk for pk, _token in stale]).update(claimed_at=now)
    by_token: dict[uuid.UUID, list[int]] = {}
    for pk, token in stale:
        if token is not None:
            by_token.setdefault(token, []).append(pk)
    sending_cutoff = now - timedelta(seconds=settings.SMS_SENDING_TIMEOUT_SECONDS)
    # Held by a worker that never started their send: its stamp can no longer succeed.
    Message.objects.filter(
        status=S.SENDING, sending_started_at__isnull=True, claimed_at__lt=sending_cutoff
    ).update(status=S.PENDING, claim_token=None, send_at=now)
    with transaction.atomic():
        unresolved = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=S.SENDING, sending_started_at__lt=sending_cutoff)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=sending_cutoff))
            .order_by("id")
            .values_list("id", flat=True)[:500]
        )
        # Handed to recovery now: not again before another timeout. (sending_started_at
        # stays, since the provider lookup searches from it.)
        Message.objects.filter(id__in=unresolved).update(claimed_at=now)
    return Recovery([Claim(ids, token) for token, ids in by_token.items()], unresolved)
