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
    assert "referrals.Referral: 1 re-encrypted" in output.getvalue()

    after = _raw_notes(referral.pk)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == NOTES
    settings.FIELD_ENCRYPTION_KEY = new_key  # the old key can go now
    assert Referral.objects.get(pk=referral.pk).clinical_notes == NOTES
