"""
A message is sent only by the worker that still holds it at the moment of sending,
and one whose outcome is unknown is never sent again without a coordinator's word.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.audit.models import AuditEntry
from services.messaging import backends
from services.messaging.actions import dispatch
from services.messaging.actions.outcome import message_give_up, message_resend
from services.messaging.actions.schedule import message_schedule
from services.messaging.backends import locmem
from services.messaging.backends.base import SendResult, UnknownOutcomeError
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


def use_backend(backend):
    backends._instances[backends.settings.SMS_BACKEND] = backend


def schedule(person, key):
    return message_schedule(key=key, kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT)


def send(claim):
    return dispatch.messages_send_claimed(
        message_ids=claim.message_ids, claim_token=str(claim.token)
    )


def recover_and_send_as_another_worker(now):
    """What beat and a second worker do once the sending timeout has passed."""
    recovery = dispatch.messages_recover_stale(now=now)
    for message_id in recovery.unresolved:
        dispatch.message_recover(message_id=message_id)
    claim = dispatch.messages_claim_due(limit=100, now=now)
    if claim is not None:
        send(claim)


class SlowProvider(locmem.LocmemBackend):
    """
    The first call of a batch takes longer than the sending timeout: meanwhile
    recovery runs and another worker sends what it was given back.
    """

    def __init__(self, settings):
        self.settings = settings

    def send(self, **kwargs) -> SendResult:
        result = super().send(**kwargs)
        if len(locmem.outbox) == 1:
            timeout = self.settings.SMS_SENDING_TIMEOUT_SECONDS
            later = timezone.now() + timedelta(seconds=timeout + 1)
            recover_and_send_as_another_worker(later)
        return result


def test_a_worker_whose_batch_was_taken_back_by_recovery_does_not_send(site, settings):
    use_backend(SlowProvider(settings))
    for n in range(3):
        schedule(opted_in(site, phone=f"061234567{n}"), key=f"k{n}")
    send(dispatch.messages_claim_due(limit=100))
    texts = [(sms.to, sms.body) for sms in locmem.outbox]
    assert len(texts) == len(set(texts)) == 3, "a message went out twice"
    assert Message.objects.filter(status=S.SENT).count() == 3
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


class AnswerLost(locmem.LocmemBackend):
    """The request goes out; whether the provider took it, nobody hears."""

    def send(self, **kwargs) -> SendResult:
        raise UnknownOutcomeError("timeout", "read timeout")


@pytest.fixture
def unknown(site):
    use_backend(AnswerLost())
    message = schedule(opted_in(site), key="k")
    report = send(dispatch.messages_claim_due(limit=10))
    assert report.unknown == [message.pk]
    dispatch.message_recover(message_id=message.pk)
    message.refresh_from_db()
    use_backend(locmem.LocmemBackend())
    return message


def test_an_outcome_not_found_at_the_provider_waits_for_a_coordinator(unknown, settings):
    assert unknown.status == S.UNKNOWN and unknown.get_status_display() == "Outcome unknown"
    later = timezone.now() + timedelta(days=1)
    recover_and_send_as_another_worker(later)
    assert Message.objects.get().status == S.UNKNOWN and not locmem.outbox


def test_a_coordinator_resends_a_message_of_unknown_outcome_once(unknown, coordinator):
    message_resend(actor=coordinator, message=unknown)
    recover_and_send_as_another_worker(timezone.now())
    unknown.refresh_from_db()
    assert unknown.status == S.SENT and len(locmem.outbox) == 1
    entry = AuditEntry.objects.get(action="message.resend")
    assert (entry.actor, entry.target_id) == (coordinator, str(unknown.pk))


def test_a_coordinator_may_give_up_on_a_message_of_unknown_outcome(unknown, coordinator):
    message_give_up(actor=coordinator, message=unknown)
    unknown.refresh_from_db()
    assert unknown.status == S.FAILED and unknown.error_code == "given_up"
    assert AuditEntry.objects.filter(action="message.give_up").count() == 1


def test_only_a_message_of_unknown_outcome_can_be_resent(site, coordinator):
    from fieldapp.errors import DomainError

    message = schedule(opted_in(site), key="k")
    with pytest.raises(DomainError):
        message_resend(actor=coordinator, message=message)


def test_the_sms_log_shows_the_unknown_outcome_and_a_coordinator_resends_it(
    client, coordinator, unknown
):
    client.force_login(coordinator)
    page = client.get(reverse("messaging:list")).content.decode()
    assert "Outcome unknown" in page and reverse("messaging:resend", args=[unknown.pk]) in page
    response = client.post(reverse("messaging:resend", args=[unknown.pk]))
    assert response.status_code == 302
    unknown.refresh_from_db()
    assert unknown.status == S.PENDING
    assert AuditEntry.objects.filter(action="message.resend", actor=coordinator).exists()


def test_a_coordinator_gives_up_from_the_sms_log(client, coordinator, unknown):
    client.force_login(coordinator)
    client.post(reverse("messaging:give_up", args=[unknown.pk]))
    unknown.refresh_from_db()
    assert unknown.status == S.FAILED


@pytest.mark.parametrize("role", ["volunteer", "medical", "legal"])
def test_only_coordinators_may_resend(client, request, role, unknown):
    client.force_login(request.getfixturevalue(role))
    assert client.post(reverse("messaging:resend", args=[unknown.pk])).status_code == 403
    assert Message.objects.get().status == S.UNKNOWN


def test_the_admin_resends_through_the_same_action(admin_client, unknown):
    url = reverse("admin:messaging_message_changelist")
    response = admin_client.post(url, {"action": "resend", "_selected_action": [unknown.pk]})
    assert response.status_code == 302
    unknown.refresh_from_db()
    assert unknown.status == S.PENDING
    assert AuditEntry.objects.filter(action="message.resend").count() == 1


class DiesAtTheSecondSend(locmem.LocmemBackend):
    """The worker is killed during its second provider call, which never went out."""

    def send(self, **kwargs) -> SendResult:
        if locmem.outbox:
            raise SystemExit("killed")
        return super().send(**kwargs)


def test_after_a_worker_dies_only_its_stamped_sends_wait_for_a_coordinator(site, settings):
    use_backend(DiesAtTheSecondSend())
    settings.SMS_SENDING_TIMEOUT_SECONDS = 60
    for n in range(4):
        schedule(opted_in(site, phone=f"061234567{n}"), key=f"k{n}")
    with pytest.raises(SystemExit):
        send(dispatch.messages_claim_due(limit=10))
    use_backend(locmem.LocmemBackend())
    later = timezone.now() + timedelta(seconds=61)
    recover_and_send_as_another_worker(later)
    statuses = sorted(Message.objects.values_list("status", flat=True))
    # The first went out and is found; those stamped with the second may have gone:
    # none goes twice, none is dropped, and what was never stamped is sent.
    assert statuses.count(S.SENT) + statuses.count(S.UNKNOWN) == 4
    texts = [(sms.to, sms.body) for sms in locmem.outbox]
    assert len(texts) == len(set(texts)) == statuses.count(S.SENT)
    assert S.UNKNOWN in statuses


def test_a_sending_timeout_shorter_than_two_http_timeouts_is_refused_at_startup(settings):
    from services.messaging.checks import sms_timeouts_check

    settings.SMS_SENDING_TIMEOUT_SECONDS, settings.SMS_HTTP_TIMEOUT = 15, 10
    assert [error.id for error in sms_timeouts_check()] == ["messaging.E001"]
    settings.SMS_SENDING_TIMEOUT_SECONDS = 20
    assert sms_timeouts_check() == []
