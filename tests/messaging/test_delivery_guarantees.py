"""
No reminder lost, none sent twice: real worker processes on the real broker, the real
twilio client, the stub provider, and the failures the issue names.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from services.messaging.actions.outcome import message_resend
from services.messaging.actions.schedule import ScheduleItem, messages_schedule_bulk
from services.messaging.models import Message
from services.messaging.sms_templates import Kind
from services.messaging.tasks import messages_dispatch

from .helpers import opted_in
from .workers import Broker, Worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
COUNT = 12


@pytest.fixture
def broker(tmp_path):
    broker = Broker(tmp_path)
    yield broker
    broker.close()


@pytest.fixture
def quick_recovery(settings):
    """Short timeouts so recovery happens within the test, quiet hours off."""
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0
    settings.SMS_CLAIM_TIMEOUT_SECONDS = 2
    settings.SMS_SENDING_TIMEOUT_SECONDS = 4
    settings.SMS_MAX_PER_SECOND = 1000
    settings.SMS_SEND_BATCH = 4
    return settings


@pytest.fixture
def worker_env(twilio_stub):
    return {
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": twilio_stub.account_sid,
        "TWILIO_AUTH_TOKEN": twilio_stub.auth_token,
        "TWILIO_FROM": "+33700000000",
        "TWILIO_API_BASE_URL": twilio_stub.base_url,
        "SMS_HTTP_TIMEOUT": "1.5",
        "SMS_UNKNOWN_OUTCOME_RECHECK_SECONDS": "1",
        "SMS_QUIET_HOURS_START": "0",
        "SMS_QUIET_HOURS_END": "0",
        "SMS_RETRY_BASE_SECONDS": "0.2",
    }


@pytest.fixture
def workers(broker, worker_env):
    started = []

    def start():
        worker = Worker(broker, worker_env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def reminders(site, twilio_settings, quick_recovery):
    people = [opted_in(site, phone=f"06 12 34 {n:02d} {n:02d}") for n in range(COUNT)]
    messages_schedule_bulk(
        items=[
            ScheduleItem(
                key=f"referral:{n}:reminder",
                kind=Kind.REFERRAL_REMINDER,
                person=person,
                context={"date": "28/11", "time": f"{8 + n % 10:02d}:00", "place": f"PASS {n}"},
            )
            for n, person in enumerate(people)
        ]
    )
    return people


def all_sent() -> bool:
    return Message.objects.filter(status=Message.Status.SENT).count() == COUNT


def all_sent_but_one_unknown() -> bool:
    statuses = Counter(Message.objects.values_list("status", flat=True))
    return statuses == {Message.Status.SENT: COUNT - 1, Message.Status.UNKNOWN: 1}


def states() -> str:
    rows = Message.objects.values_list("status", "attempts", "error_code")
    return str(Counter(rows))


def assert_each_sent_exactly_once(stub):
    bodies = Counter((m.to, m.body) for m in stub.messages)
    assert len(bodies) == COUNT, f"{len(bodies)} distinct messages reached the provider"
    assert max(bodies.values()) == 1, f"duplicates: {[k for k, v in bodies.items() if v > 1]}"
    recorded = set(Message.objects.values_list("provider_message_id", flat=True))
    assert recorded == {m.sid for m in stub.messages}


def test_broker_flushed_between_claim_and_send(reminders, broker, workers, twilio_stub):
    messages_dispatch()  # claims everything and queues the sends: no worker runs yet
    assert Message.objects.filter(status=Message.Status.CLAIMED).count() == COUNT
    broker.flush()  # Redis restarts empty: every queued send is gone
    worker = workers()
    wait_for(all_sent, timeout=150, tick=messages_dispatch, describe=states)
    assert_each_sent_exactly_once(twilio_stub), worker.output()


def test_worker_killed_during_a_send(reminders, broker, workers, twilio_stub, coordinator):
    twilio_stub.reset()
    # The 3rd send is accepted but never answered; the 4th hangs before it is accepted.
    twilio_stub.accept_then_hang(30)
    twilio_stub.hang_before_accept(30)
    first = workers()
    messages_dispatch()
    wait_for(lambda: twilio_stub.posts_received >= 1, timeout=30)
    first.kill()  # SIGKILL, mid-request
    assert Message.objects.filter(status=Message.Status.SENDING).exists()
    workers()
    # The send that hung before the provider took it looks, to us, like one whose answer
    # was lost: it waits for a coordinator instead of going out again on its own.
    wait_for(all_sent_but_one_unknown, timeout=150, tick=messages_dispatch, describe=states)
    assert len(twilio_stub.messages) == COUNT - 1
    message_resend(actor=coordinator, message=Message.objects.get(status=Message.Status.UNKNOWN))
    wait_for(all_sent, timeout=150, tick=messages_dispatch, describe=states)
    assert_each_sent_exactly_once(twilio_stub)


def test_provider_times_out_after_accepting(reminders, broker, workers, twilio_stub):
    twilio_stub.accept_then_hang(5)  # longer than the worker's 1.5 s HTTP timeout
    workers()
    wait_for(all_sent, timeout=150, tick=messages_dispatch, describe=states)
    assert_each_sent_exactly_once(twilio_stub)
    assert Message.objects.filter(attempts=1).count() == COUNT


def test_transient_provider_errors_are_retried_until_sent(reminders, broker, workers, twilio_stub):
    twilio_stub.fail_next(status=500, times=2)
    twilio_stub.fail_next(status=429, code=20429)
    workers()

    def release_backoff():
        Message.objects.filter(status=Message.Status.PENDING, send_at__gt=timezone.now()).update(
            send_at=timezone.now() - timedelta(seconds=1)
        )
        messages_dispatch()

    wait_for(all_sent, timeout=150, tick=release_backoff)
    assert_each_sent_exactly_once(twilio_stub)
    assert Message.objects.filter(attempts__gt=1).count() >= 1
