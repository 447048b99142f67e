from datetime import timedelta

import pytest
from django.utils import timezone

from services.messaging.actions.schedule import (
    ScheduleItem,
    message_cancel,
    message_schedule,
    messages_schedule_bulk,
)
from services.messaging.models import Message
from services.messaging.sms_templates import Kind
from services.people.actions import person_update
from tests.factories import PersonFactory

from .helpers import CONTEXT, opted_in


def schedule(person, key="appointment:42:reminder-24h", **kwargs):
    return message_schedule(
        key=key, kind=Kind.APPOINTMENT_REMINDER, person=person, context=CONTEXT, **kwargs
    )


def test_scheduling_writes_one_pending_row(site):
    message = schedule(opted_in(site))
    assert message.status == Message.Status.PENDING
    assert Message.objects.count() == 1


def test_rescheduling_with_the_same_key_updates_the_pending_row(site):
    person = opted_in(site)
    first = schedule(person, send_at=timezone.now() + timedelta(days=1))
    later = timezone.now() + timedelta(days=2)
    second = message_schedule(
        key="appointment:42:reminder-24h",
        kind=Kind.APPOINTMENT_REMINDER,
        person=person,
        context={**CONTEXT, "time": "16:00"},
        send_at=later,
    )
    assert second.pk == first.pk and Message.objects.count() == 1
    second.refresh_from_db()
    assert second.send_at == later and second.context["time"] == "16:00"


def test_a_sent_message_is_not_rescheduled(site):
    person = opted_in(site)
    message = schedule(person)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT)
    again = schedule(person, send_at=timezone.now() + timedelta(days=3))
    assert again.status == Message.Status.SENT and Message.objects.count() == 1


def test_cancelling_the_cause_cancels_the_pending_row(site):
    schedule(opted_in(site))
    assert message_cancel(key="appointment:42:reminder-24h")
    assert Message.objects.get().status == Message.Status.CANCELLED


def test_nothing_is_scheduled_without_consent_or_phone(site):
    assert schedule(PersonFactory(home_site=site, phone="+33612345678")) is None
    assert schedule(PersonFactory(home_site=site), key="k2") is None
    assert not Message.objects.exists()


def test_opting_out_cancels_what_is_pending(site, coordinator):
    person = opted_in(site)
    schedule(person)
    person_update(actor=coordinator, person=person, sms_consent=False)
    assert Message.objects.get().status == Message.Status.CANCELLED


def test_scheduling_joins_the_callers_transaction(site, django_db_blocker):
    from django.db import transaction

    person = opted_in(site)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            schedule(person)
            raise RuntimeError("the appointment could not be saved")
    assert not Message.objects.exists()


def test_missing_template_values_are_refused(site):
    from fieldapp.errors import DomainError

    with pytest.raises(DomainError):
        message_schedule(key="k", kind=Kind.APPOINTMENT_REMINDER, person=opted_in(site), context={})


def test_bulk_scheduling_is_idempotent_and_skips_people_without_consent(site):
    people = [opted_in(site, phone=f"06123456{n:02d}") for n in range(30)]
    people.append(PersonFactory(home_site=site))
    items = [
        ScheduleItem(
            key=f"announce:1:{p.pk}", kind=Kind.DISTRIBUTION_ANNOUNCEMENT, person=p, context=CONTEXT
        )
        for p in people
    ]
    assert messages_schedule_bulk(items=items) == 30
    assert messages_schedule_bulk(items=items) == 30
    assert Message.objects.count() == 30


def test_bulk_scheduling_uses_a_few_queries_per_chunk(site, django_assert_max_num_queries):
    people = [opted_in(site, phone=f"06123457{n:02d}") for n in range(50)]
    items = [
        ScheduleItem(
            key=f"announce:2:{p.pk}", kind=Kind.DISTRIBUTION_ANNOUNCEMENT, person=p, context=CONTEXT
        )
        for p in people
    ]
    with django_assert_max_num_queries(6):
        messages_schedule_bulk(items=items)


def test_bulk_scheduling_writes_the_rows_that_one_by_one_scheduling_writes(site):
    person = opted_in(site, language="ps")
    send_at = timezone.now() + timedelta(hours=2)
    kwargs = {"kind": Kind.APPOINTMENT_REMINDER, "person": person, "context": CONTEXT}
    message_schedule(key="single", send_at=send_at, **kwargs)
    messages_schedule_bulk(items=[ScheduleItem(key="bulk", send_at=send_at, **kwargs)])
    single, bulk = (
        {
            name: value
            for name, value in row.items()
            if name not in ("id", "idempotency_key", "created_at")
        }
        for row in Message.objects.order_by("idempotency_key").reverse().values()
    )
    assert bulk == single
    assert Message.objects.get(idempotency_key="bulk").created_at <= timezone.now()
