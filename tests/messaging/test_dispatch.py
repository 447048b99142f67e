"""The outbox with the locmem backend: the state machine, retries and recovery."""

import math
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.messaging import backends
from services.messaging.actions import dispatch
from services.messaging.actions.batch_writes import ACCEPTED_GROUP, STAMP_GROUP
from services.messaging.actions.schedule import message_schedule
from services.messaging.backends import locmem
from services.messaging.backends.base import (
    PermanentSendError,
    SendResult,
    TransientSendError,
    UnknownOutcomeError,
)
from services.messaging.models import Message
from services.messaging.sms_templates import Kind

from .helpers import CONTEXT, opted_in

S = Message.Status


@pytest.fixture(autouse=True)
def locmem_backend(settings):
    settings.SMS_BACKEND = "locmem"
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0
    backends._instances.clear()
    locmem.outbox.clear()
    yield
    backends._instances.clear()
    locmem.outbox.clear()


class ScriptedBackend(locmem.LocmemBackend):
    """Locmem, but raising the given errors first, as a provider would."""

    def __init__(self, *errors):
        self.errors = list(errors)

    def send(self, **kwargs) -> SendResult:
        if self.errors:
            error = self.errors.pop(0)
            if isinstance(error, UnknownOutcomeError):
                super().send(**kwargs)  # accepted, but the answer never came back
            raise error
        return super().send(**kwargs)


def use_backend(backend):
    backends._instances[backends.settings.SMS_BACKEND] = backend


def schedule(person, key="appointment:1:reminder", **kwargs):
    return message_schedule(
        key=key, kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT, **kwargs
    )


def claim_and_send():
    claim = dispatch.messages_claim_due(limit=100)
    return dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    )


def test_a_due_message_is_claimed_sent_and_recorded(site):
    person = opted_in(site, language="ti")
    message = schedule(person)
    report = claim_and_send()
    message.refresh_from_db()
    assert report.accepted == 1 and message.status == S.SENT
    assert message.provider_message_id == locmem.outbox[0].provider_message_id
    assert message.body == locmem.outbox[0].body and message.rendered_language == "ti"
    assert str(message.to_phone) == "+33612345678" and message.segments in (1, 2)
    assert message.encoding == "UCS-2"


def test_messages_not_yet_due_are_not_claimed(site):
    schedule(opted_in(site), send_at=timezone.now() + timedelta(hours=1))
    assert dispatch.messages_claim_due(limit=10) is None


def test_a_task_delivered_twice_sends_once(site):
    schedule(opted_in(site))
    claim = dispatch.messages_claim_due(limit=10)
    first = dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    )
    second = dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    )
    assert (first.accepted, second.accepted) == (1, 0) and len(locmem.outbox) == 1


def test_a_claim_whose_task_was_lost_is_sent_after_the_claim_timeout(site, settings):
    schedule(opted_in(site))
    lost = dispatch.messages_claim_due(limit=10)  # the task carrying it vanished with Redis
    assert dispatch.messages_recover_stale().reclaimed == 0
    later = timezone.now() + timedelta(seconds=settings.SMS_CLAIM_TIMEOUT_SECONDS + 1)
    recovery = dispatch.messages_recover_stale(now=later)
    assert recovery.reclaimed == 1 and recovery.requeue[0].token == lost.token
    again = recovery.requeue[0]
    sent = dispatch.messages_send_claimed(
        message_ids=again.message_ids, claim_token=str(again.token)
    )
    late = dispatch.messages_send_claimed(message_ids=lost.message_ids, claim_token=str(lost.token))
    assert (sent.accepted, late.accepted) == (1, 0) and len(locmem.outbox) == 1


def test_a_transient_error_retries_later_with_backoff(site):
    use_backend(ScriptedBackend(TransientSendError("500", "server error")))
    message = schedule(opted_in(site))
    claim_and_send()
    message.refresh_from_db()
    assert message.status == S.PENDING and message.attempts == 1
    assert message.send_at > timezone.now() + timedelta(seconds=25)
    assert message.error_code == "500" and message.error_reason


def test_after_the_last_attempt_the_message_fails_with_the_reason(site, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    use_backend(
        ScriptedBackend(TransientSendError("20429", "busy"), TransientSendError("20429", "busy"))
    )
    message = schedule(opted_in(site))
    claim_and_send()
    Message.objects.filter(pk=message.pk).update(send_at=timezone.now())
    claim_and_send()
    message.refresh_from_db()
    assert message.status == S.FAILED and message.attempts == 2
    assert "busy" in message.error_reason


@pytest.mark.parametrize("code", ["21211", "21614"])
def test_an_invalid_number_fails_at_once_and_is_flagged_on_the_person(site, code):
    use_backend(ScriptedBackend(PermanentSendError(code, "bad number")))
    person = opted_in(site)
    message = schedule(person)
    claim_and_send()
    message.refresh_from_db()
    person.refresh_from_db()
    assert message.status == S.FAILED and message.attempts == 1
    assert person.phone_invalid_at is not None and person.phone_invalid_reason


def test_an_unsubscribed_number_records_the_opt_out(site):
    use_backend(ScriptedBackend(PermanentSendError("21610", "unsubscribed")))
    person = opted_in(site)
    schedule(person)
    schedule(person, key="appointment:2:reminder", send_at=timezone.now() + timedelta(days=1))
    claim_and_send()
    person.refresh_from_db()
    assert person.sms_consent is False
    assert Message.objects.get(idempotency_key="appointment:2:reminder").status == S.CANCELLED


def test_region_not_permitted_fails_without_touching_the_person(site):
    use_backend(ScriptedBackend(PermanentSendError("21408", "region")))
    person = opted_in(site)
    schedule(person)
    claim_and_send()
    person.refresh_from_db()
    assert person.sms_consent and person.phone_invalid_at is None
    assert Message.objects.get().status == S.FAILED


def test_accepted_but_unanswered_is_found_at_the_provider_not_sent_twice(site):
    use_backend(ScriptedBackend(UnknownOutcomeError("timeout", "read timeout")))
    message = schedule(opted_in(site))
    report = claim_and_send()
    assert report.unknown == [message.pk] and len(locmem.outbox) == 1
    dispatch.message_recover(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == S.SENT
    assert message.provider_message_id == locmem.outbox[0].provider_message_id
    assert len(locmem.outbox) == 1


def test_a_send_that_never_reached_the_provider_is_retried(site, settings):
    message = schedule(opted_in(site))
    claim = dispatch.messages_claim_due(limit=10)
    # The worker wrote its text, then died before it started the provider call.
    Message.objects.filter(pk=message.pk).update(
        status=S.SENDING,
        body="text that never left",
        to_phone="+33612345678",
        claimed_at=timezone.now(),
        sending_started_at=None,
    )
    later = timezone.now() + timedelta(seconds=settings.SMS_SENDING_TIMEOUT_SECONDS + 1)
    assert dispatch.messages_recover_stale(now=later).unresolved == []
    message.refresh_from_db()
    assert message.status == S.PENDING and message.attempts == 0
    again = dispatch.messages_claim_due(limit=10, now=later)
    dispatch.messages_send_claimed(message_ids=again.message_ids, claim_token=str(again.token))
    assert len(locmem.outbox) == 1
    assert claim.message_ids == again.message_ids == [message.pk]


def test_consent_withdrawn_after_claim_cancels_instead_of_sending(site):
    person = opted_in(site)
    schedule(person)
    claim = dispatch.messages_claim_due(limit=10)
    type(person).objects.filter(pk=person.pk).update(sms_consent=False)
    dispatch.messages_send_claimed(message_ids=claim.message_ids, claim_token=str(claim.token))
    assert not locmem.outbox and Message.objects.get().status == S.CANCELLED


def test_a_changed_number_is_used_and_old_messages_keep_theirs(site, coordinator):
    from services.people.actions import person_update
    from services.people.phones import phone_parse

    person = opted_in(site)
    schedule(person)
    claim_and_send()
    person_update(actor=coordinator, person=person, phone=phone_parse("0765432109"))
    schedule(person, key="appointment:9:reminder")
    claim_and_send()
    numbers = list(Message.objects.order_by("id").values_list("to_phone", flat=True))
    assert [str(n) for n in numbers] == ["+33612345678", "+33765432109"]


def test_a_batch_takes_few_queries_whatever_its_size(site):

    def send_batch(size, first):
        for n in range(first, first + size):
            schedule(opted_in(site, phone=f"06123458{n:02d}"), key=f"k{n}")
        claim = dispatch.messages_claim_due(limit=100)
        with CaptureQueriesContext(connection) as queries:
            report = dispatch.messages_send_claimed(
                message_ids=claim.message_ids, claim_token=str(claim.token)
            )
        assert report.accepted == size
        return len(queries)

    # Up to ACCEPTED_GROUP, the accepted sends are recorded in one statement; the
    # starts of the sends in one per STAMP_GROUP (after the first send, alone).
    few, many = send_batch(3, 0), send_batch(ACCEPTED_GROUP, 10)
    assert many - few == math.ceil((ACCEPTED_GROUP - 1) / STAMP_GROUP) - 1
    assert len(locmem.outbox) == 3 + ACCEPTED_GROUP


class ChecksTheOutbox(locmem.LocmemBackend):
    """Locmem that reads the row at each send, as a recovery after a crash there would."""

    def __init__(self):
        self.seen = []

    def send(self, **kwargs) -> SendResult:
        row = Message.objects.get(idempotency_key=kwargs["reference"])
        self.seen.append((row.status, row.body == kwargs["body"], str(row.to_phone)))
        return super().send(**kwargs)


def test_each_text_and_number_are_written_before_the_provider_gets_them(site):
    backend = ChecksTheOutbox()
    use_backend(backend)
    for n in range(3):
        schedule(opted_in(site, phone=f"061234567{n}"), key=f"k{n}")
    claim_and_send()
    assert sorted(backend.seen) == [(S.SENDING, True, f"+3361234567{n}") for n in range(3)]
    assert Message.objects.filter(status=S.SENT).count() == 3
