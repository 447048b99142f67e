"""The encrypted copy of the encryption keys: opens with its passphrase, and only with it."""

import pytest
from django.core.management import CommandError, call_command

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    return path


def test_the_keys_come_back_with_the_passphrase(settings, tmp_path, passphrase_file, capsys):
    settings.FIELD_ENCRYPTION_KEY = "new-key-first=,old-key-after="
    sealed = tmp_path / "keys.json"
    call_command("keys_backup", output=str(sealed), passphrase_file=str(passphrase_file))
    assert sealed.stat().st_mode & 0o777 == 0o600
    assert "new-key-first" not in sealed.read_text()
    capsys.readouterr()
    call_command("keys_restore", str(sealed), passphrase_file=str(passphrase_file))
    assert capsys.readouterr().out.strip() == "FIELD_ENCRYPTION_KEY=new-key-first=,old-key-after="


def test_a_wrong_passphrase_opens_nothing(tmp_path, passphrase_file):
    sealed = tmp_path / "keys.json"
    call_command("keys_backup", output=str(sealed), passphrase_file=str(passphrase_file))
    passphrase_file.write_text("another passphrase, long enough")
    with pytest.raises(CommandError, match="Wrong passphrase"):
        call_command("keys_restore", str(sealed), passphrase_file=str(passphrase_file))


def test_a_short_passphrase_is_refused(tmp_path):
    short = tmp_path / "short"
    short.write_text("secret")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("keys_backup", output=str(tmp_path / "k"), passphrase_file=str(short))
