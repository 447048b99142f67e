"""Raw SQL on the record tables shows tokens; rotation re-encrypts every note under the new key."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from fieldapp.crypto import TOKEN_PREFIX, encrypted_fields
from services.referrals.models import Referral

from .conftest import NOTES

pytestmark = pytest.mark.django_db


def _raw_notes(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clinical_notes FROM referrals_referral WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_every_note_field_of_medical_and_legal_records_is_encrypted():
    fields = {f"{model._meta.label}.{name}" for model, name in encrypted_fields()}
    assert "referrals.Referral.clinical_notes" in fields
    assert any(label.startswith("legal.") for label in fields), fields


def test_raw_sql_shows_a_token_not_the_note(booked):
    _person, referral = booked
    raw = _raw_notes(referral.pk)
    assert raw.startswith(TOKEN_PREFIX)
    assert "fracture" not in raw
    assert Referral.objects.get(pk=referral.pk).clinical_notes == NOTES


def test_rotation_re_encrypts_under_the_new_key_and_old_rows_stay_readable(booked, settings):
    _person, referral = booked
    old_key = settings.FIELD_ENCRYPTION_KEY
    before = _raw_notes(referral.pk)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"
    assert Referral.objects.get(pk=referral.pk).clinical_notes == NOTES  # old key still opens it

    output = io.StringIO()
    call_command("notes_reencrypt", stdout=output)
    assert "referrals.Referral.clinical_notes: 1 re-encrypted, 0 already current, 0 unreadable" in (
        output.getvalue()
    )

    after = _raw_notes(referral.pk)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == NOTES
    settings.FIELD_ENCRYPTION_KEY = new_key  # the old key can go now
    assert Referral.objects.get(pk=referral.pk).clinical_notes == NOTES


def test_rotation_counts_honestly_what_it_re_encrypted_left_alone_and_could_not_read(
    booked, settings
):
    _person, first = booked
    old_key = settings.FIELD_ENCRYPTION_KEY
    lost_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    second = Referral.objects.get(pk=first.pk)
    second.pk = None
    second.save()  # under the old key
    third = Referral.objects.get(pk=first.pk)
    third.pk = None
    settings.FIELD_ENCRYPTION_KEY = lost_key
    third.save()  # under a key nobody has any more
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"
    Referral.objects.filter(pk=second.pk).update(clinical_notes="written under the new key")
    unreadable = _raw_notes(third.pk)

    output, errors = io.StringIO(), io.StringIO()
    call_command("notes_reencrypt", stdout=output, stderr=errors)
    assert "referrals.Referral.clinical_notes: 1 re-encrypted, 1 already current, 1 unreadable" in (
        output.getvalue()
    )
    assert "1 notes are unreadable" in errors.getvalue()
    assert _raw_notes(third.pk) == unreadable  # left as it was: the lost key may turn up

    call_command("notes_reencrypt", stdout=output)
    assert "clinical_notes: 0 re-encrypted, 2 already current, 1 unreadable" in output.getvalue()
