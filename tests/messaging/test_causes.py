"""A message's cause is stored in columns; older messages get theirs from their keys once."""

import importlib
from datetime import UTC, datetime

from django.apps import apps

from services.messaging.models import Message
from tests.factories import PersonFactory

backfill = importlib.import_module("services.messaging.migrations.0004_message_cause")


def old_message(key: str, kind: str = "appointment_reminder") -> Message:
    return Message.objects.create(
        idempotency_key=key,
        kind=kind,
        person=PersonFactory(),
        language="ar",
        send_at=datetime(2026, 11, 26, 17, tzinfo=UTC),
    )


def test_older_reminders_get_their_cause_from_their_keys(db):
    legal = old_message("legal:42:reminder-24h@20261127T0900Z")
    referral = old_message("referral:7:reminder-2h@20261127T0815Z", kind="referral_reminder")
    other = old_message("inbound:SM1:confirm", kind="opt_out_confirmation")
    backfill.causes_from_keys(apps, None)
    legal.refresh_from_db()
    referral.refresh_from_db()
    other.refresh_from_db()
    assert (legal.cause_type, legal.cause_id) == ("appointment", 42)
    assert legal.cause_at == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert legal.idempotency_key == "appointment:42:reminder-24h@20261127T0900Z"
    assert (referral.cause_type, referral.cause_id) == ("referral", 7)
    assert referral.cause_at == datetime(2026, 11, 27, 8, 15, tzinfo=UTC)
    assert (other.cause_type, other.cause_id, other.cause_at) == ("", None, None)
