"""Notes are Fernet tokens at rest; every configured key decrypts, the first encrypts."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured

from fieldapp.crypto import TOKEN_PREFIX, EncryptedTextField, decrypt_text, encrypt_text

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_the_field_stores_a_token_and_loads_the_text(settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    field = EncryptedTextField()
    stored = field.get_prep_value("Pain in the left knee since the fall")
    assert stored.startswith(TOKEN_PREFIX)
    assert "knee" not in stored
    assert field.from_db_value(stored, None, None) == "Pain in the left knee since the fall"


def test_empty_notes_stay_empty_and_need_no_key(settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    field = EncryptedTextField()
    assert field.get_prep_value("") == ""
    assert field.from_db_value("", None, None) == ""
    assert field.from_db_value(None, None, None) is None


def test_two_encryptions_of_the_same_note_differ(settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert encrypt_text("same") != encrypt_text("same")


def test_old_keys_still_decrypt_after_a_new_key_is_put_first(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    token = encrypt_text("note")
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert decrypt_text(token) == "note"
    settings.FIELD_ENCRYPTION_KEY = NEW
    with pytest.raises(InvalidToken):
        decrypt_text(token)


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEY = "not-a-fernet-key"
    with pytest.raises(ImproperlyConfigured):
        encrypt_text("note")
