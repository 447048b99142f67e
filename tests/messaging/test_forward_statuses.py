"""A status only moves forward: a report that comes late changes nothing."""

import pytest
from django.utils import timezone

from services.messaging.actions.provider import message_status_update
from services.messaging.models import STATUS_RANK, Message
from tests.factories import PersonFactory

S = Message.Status


@pytest.fixture
def sent(site):
    person = PersonFactory(home_site=site, phone="+33612345678", sms_consent=True)
    return Message.objects.create(
        idempotency_key="k",
        kind="appointment_reminder",
        person=person,
        language="en",
        send_at=timezone.now(),
        status=S.SENT,
        provider_message_id="SM1",
        provider_status="queued",
    )


def report(status, error_code=""):
    return message_status_update(provider_message_id="SM1", status=status, error_code=error_code)


def test_a_sent_report_after_delivered_changes_nothing(sent):
    report("delivered")
    message = report("sent")
    assert (message.status, message.provider_status) == (S.DELIVERED, "delivered")
    assert message.delivered_at is not None


def test_a_late_undelivered_after_delivered_neither_fails_it_nor_flags_the_number(sent):
    report("delivered")
    message = report("undelivered", error_code="30005")
    assert (message.status, message.error_code) == (S.DELIVERED, "")
    sent.person.refresh_from_db()
    assert sent.person.phone_invalid_at is None


def test_reports_in_their_order_move_the_message_forward(sent):
    assert report("sending").provider_status == "sending"
    assert report("sent").status == S.SENT
    message = report("undelivered", error_code="30003")
    assert (message.status, message.error_code) == (S.UNDELIVERED, "30003")
    assert report("failed").status == S.UNDELIVERED  # no later than undelivered


def test_every_status_has_its_place_in_the_order():
    assert set(STATUS_RANK) == set(S.values)
