"""
The nightly retention run: what goes, what stays, a second run changes nothing, and the
dry run changes nothing at all.
"""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from services.audit.models import AuditEntry
from services.distributions.models import CheckIn, Handout, StockBalance, StockMovement
from services.legal.models import Appointment
from services.messaging.models import InboundMessage, Message
from services.people.models import Person
from services.privacy.retention import retention_apply, retention_plan
from services.privacy.tasks import retention_nightly
from services.referrals.models import Referral
from services.shifts.actions.handover import handover_note_add
from services.shifts.models import HandoverNote

from .conftest import CLINICAL, LEGAL, NAME, PHONE, SMS_TEXT

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=200)  # past the 180 days, counted from the appointment


def snapshot() -> str:
    """Every row retention may touch, as text: equal snapshots, nothing changed."""
    rows = {
        "people": list(Person.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
        "replies": list(InboundMessage.objects.order_by("pk").values()),
        "referrals": list(Referral.objects.order_by("pk").values("pk", "clinical_notes")),
        "appointments": list(Appointment.objects.order_by("pk").values("pk", "notes")),
        "checkins": list(CheckIn.objects.order_by("pk").values()),
        "handovers": list(HandoverNote.objects.order_by("pk").values("pk")),
        "audit": AuditEntry.objects.count(),
    }
    return json.dumps(rows, default=str, sort_keys=True)


def test_an_inactive_person_loses_name_phone_and_free_text(world):
    retention_apply(now=timezone.now() + LATER)
    person = Person.objects.get(pk=world.person.pk)
    assert (person.name, str(person.phone), person.sms_consent) == ("", "", False)
    assert person.anonymised_at is not None
    referral = Referral.objects.get(pk=world.referral.pk)
    appointment = Appointment.objects.get(pk=world.appointment.pk)
    assert referral.clinical_notes == "" and appointment.notes == ""
    message = Message.objects.get(pk=world.message.pk)
    assert (message.body, str(message.to_phone), message.context) == ("", "", {})
    assert not InboundMessage.objects.filter(body__contains="Thank you").exists()


def test_the_code_and_the_counts_stay(world):
    counts = (CheckIn.objects.count(), Handout.objects.count(), Message.objects.count())
    ledger = sorted(StockMovement.objects.values_list("item", "size", "quantity"))
    retention_apply(now=timezone.now() + LATER)
    person = Person.objects.get(pk=world.person.pk)
    assert person.code == world.person.code
    assert person.language == "ar" and person.home_site_id == world.person.home_site_id
    assert (CheckIn.objects.count(), Handout.objects.count(), Message.objects.count()) == counts
    assert sorted(StockMovement.objects.values_list("item", "size", "quantity")) == ledger
    assert Handout.objects.filter(person=person).count() == 2
    assert Message.objects.get(pk=world.message.pk).segments == 1


def test_a_person_seen_recently_is_kept_whole(world):
    run = retention_apply(now=timezone.now() + datetime.timedelta(days=30))
    assert world.person.code not in run.people
    assert Person.objects.get(pk=world.person.pk).name == NAME


def test_a_coming_appointment_counts_as_activity(world):
    """Not seen at a distribution for 200 days, but advised in a week: kept."""
    Person.objects.filter(pk=world.person.pk).update(
        last_seen_at=timezone.now() - LATER, created_at=timezone.now() - LATER
    )
    run = retention_apply()
    assert run.people == []
    assert Person.objects.get(pk=world.person.pk).phone == PHONE


def test_a_second_run_changes_nothing_more(world):
    later = timezone.now() + LATER
    first = retention_apply(now=later)
    assert first.people == [world.person.code]
    before = snapshot()
    second = retention_apply(now=later + datetime.timedelta(hours=1))
    assert (second.people, second.messages, second.replies, second.handover_notes) == ([], 0, 0, 0)
    assert snapshot() == before


def test_a_person_seen_again_is_anonymised_again_once_inactive(world):
    later = timezone.now() + LATER
    retention_apply(now=later)
    back = later + datetime.timedelta(days=1)
    Person.objects.filter(pk=world.person.pk).update(name="Back again", last_seen_at=back)
    assert retention_apply(now=back + datetime.timedelta(days=10)).people == []
    run = retention_apply(now=back + LATER)
    assert run.people == [world.person.code]
    assert Person.objects.get(pk=world.person.pk).name == ""


def test_sms_text_and_numbers_go_after_30_days_and_not_before(world):
    now = timezone.now()
    Message.objects.filter(pk=world.message.pk).update(send_at=now - datetime.timedelta(days=29))
    assert retention_apply(now=now).messages == 0
    assert Message.objects.get(pk=world.message.pk).body == SMS_TEXT
    Message.objects.filter(pk=world.message.pk).update(send_at=now - datetime.timedelta(days=31))
    InboundMessage.objects.update(received_at=now - datetime.timedelta(days=31))
    run = retention_apply(now=now)
    assert (run.messages, run.replies) == (1, 1)
    message = Message.objects.get(pk=world.message.pk)
    assert (message.body, str(message.to_phone), message.status) == ("", "", "delivered")
    assert Person.objects.get(pk=world.person.pk).name == NAME  # the person is still active


def test_a_message_still_waiting_is_not_purged(world):
    waiting = Message.objects.create(
        idempotency_key="waiting",
        kind="distribution_announcement",
        person=world.person,
        language="ar",
        body="soon",
        send_at=timezone.now() - datetime.timedelta(days=40),
    )
    retention_apply()
    assert Message.objects.get(pk=waiting.pk).body == "soon"


def test_the_audit_log_keeps_its_rows_and_holds_no_personal_data(world):
    before = AuditEntry.objects.count()
    retention_apply(now=timezone.now() + LATER)
    entries = AuditEntry.objects.all()
    assert entries.count() > before
    assert entries.filter(action="person.anonymise", target_id=str(world.person.pk)).exists()
    logged = json.dumps(list(entries.values("action", "target_id", "details")), default=str)
    for personal in (NAME, PHONE, PHONE[1:], CLINICAL, LEGAL, SMS_TEXT, world.person.code):
        assert personal not in logged


def test_the_dry_run_changes_nothing_and_says_what_would_go(world):
    Person.objects.filter(pk=world.person.pk).update(last_seen_at=timezone.now() - LATER)
    long_ago = timezone.now() - LATER
    Appointment.objects.update(
        starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=1), updated_at=long_ago
    )
    Referral.objects.update(updated_at=timezone.now() - LATER)
    Message.objects.update(send_at=timezone.now() - LATER)
    InboundMessage.objects.update(received_at=timezone.now() - LATER)
    before = snapshot()
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert snapshot() == before
    assert world.person.code in out.getvalue()
    assert "Dry run: nothing was changed." in out.getvalue()
    plan = retention_plan()
    done = retention_apply()
    assert (done.people, done.messages, done.replies) == (plan.people, plan.messages, plan.replies)
    assert snapshot() != before


def test_handover_notes_go_with_the_nightly_run(world, site):
    note = handover_note_add(actor=world.volunteer, site=site, kind="stock", text="Few tents")
    HandoverNote.objects.filter(pk=note.pk).update(day=timezone.localdate() - LATER)
    assert retention_plan().handover_notes == 1
    assert retention_nightly() >= 1
    assert not HandoverNote.objects.filter(pk=note.pk).exists()


def test_the_inactive_period_is_a_setting(world, settings):
    settings.PRIVACY_INACTIVE_DAYS = 400
    assert retention_apply(now=timezone.now() + LATER).people == []
    settings.PRIVACY_INACTIVE_DAYS = 100
    assert retention_apply(now=timezone.now() + LATER).people == [world.person.code]


def test_beat_runs_retention_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "services.privacy.tasks.retention_nightly"
    assert entry["schedule"].hour == {3}
    assert StockBalance.objects.count() == 0  # nothing else needed for this check
