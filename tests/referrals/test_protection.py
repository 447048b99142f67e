"""Notes at rest are ciphertext; every read and change is audited without note contents."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from fieldapp.crypto import TOKEN_PREFIX
from services.audit.models import AuditEntry
from services.referrals.actions import workflow
from services.referrals.actions.followups import followup_done
from services.referrals.models import FollowUpTask, Referral
from services.referrals.selectors import referral_get

from .conftest import NOTES


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_clinical_notes_reasons_and_follow_up_notes_are_fernet_tokens_in_the_database(
    booked, medical
):
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    workflow.referral_missed(actor=medical, referral=booked, reason="went to Lille")
    followup_done(actor=medical, task=FollowUpTask.objects.get(), note="found at the camp")
    stored_notes = _raw("SELECT clinical_notes FROM referrals_referral WHERE id = %s", [booked.pk])
    stored_reason = _raw(
        "SELECT reason FROM referrals_referralevent WHERE referral_id = %s AND status = 'missed'",
        [booked.pk],
    )
    stored_note = _raw(
        "SELECT note FROM referrals_followuptask WHERE referral_id = %s", [booked.pk]
    )
    for stored, plain in [
        (stored_notes, NOTES),
        (stored_reason, "went to Lille"),
        (stored_note, "found at the camp"),
    ]:
        assert stored.startswith(TOKEN_PREFIX)
        assert plain not in stored
    assert Referral.objects.get(pk=booked.pk).clinical_notes == NOTES


def _details_text():
    return " ".join(str(entry.details) for entry in AuditEntry.objects.all())


def test_every_change_and_read_is_audited_with_field_names_only(booked, medical):
    workflow.referral_decline(actor=medical, referral=booked, reason="refused by the partner")
    referral_get(user=medical, pk=booked.pk)
    actions = list(
        AuditEntry.objects.filter(target_type="referrals.referral", target_id=str(booked.pk))
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        ("referral.create", medical.pk),
        ("referral.status.referred", medical.pk),
        ("referral.status.booked", medical.pk),
        ("referral.status.declined", medical.pk),
        ("referral.read", medical.pk),
    ]
    declined = AuditEntry.objects.get(action="referral.status.declined")
    assert declined.details == {"from": "booked", "fields": ["reason"]}
    text = _details_text()
    assert NOTES not in text and "refused by the partner" not in text
