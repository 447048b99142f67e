"""fieldapp starts only with a FIELD_ENCRYPTION_KEY that opens the notes it already holds."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from fieldapp.checks import encryption_key_check
from fieldapp.crypto import TOKEN_PREFIX
from fieldapp.models import CANARY_TEXT, KeyCanary
from services.referrals.models import Referral
from tests.casework.conftest import booked  # noqa: F401 - a referral with notes

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def errors(**kwargs):
    return [message.id for message in encryption_key_check(**kwargs) if message.is_serious()]


@pytest.fixture
def canary_under_old_key(db, settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    assert errors() == []
    return KeyCanary.objects.get()


def test_the_first_start_writes_the_canary_with_the_first_key(db, settings):
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert errors() == [] and errors() == []
    assert KeyCanary.objects.get().text == CANARY_TEXT  # one row, after two starts
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {KeyCanary._meta.db_table}")  # noqa: S608
        raw = cursor.fetchone()[0]
    assert raw.startswith(TOKEN_PREFIX)
    assert Fernet(NEW.encode()).decrypt(raw.encode()).decode() == CANARY_TEXT


def test_a_key_that_does_not_open_the_canary_is_refused(canary_under_old_key, settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert errors() == ["fieldapp.E001"]
    (message,) = encryption_key_check()
    assert "FIELD_ENCRYPTION_KEY" in message.msg and "notes_reencrypt" in message.hint


def test_a_new_key_put_first_with_the_old_one_after_it_is_accepted(canary_under_old_key, settings):
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert errors() == []


def test_a_malformed_key_is_refused_naming_the_setting(db, settings):
    settings.FIELD_ENCRYPTION_KEY = "not-a-fernet-key"
    (message,) = encryption_key_check()
    assert message.id == "fieldapp.E002" and "FIELD_ENCRYPTION_KEY" in message.msg


def test_before_any_canary_a_key_that_opens_none_of_the_stored_notes_is_refused(
    booked,  # noqa: F811
    settings,
):
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert Referral.objects.exists()
    assert errors() == ["fieldapp.E001"]
    assert not KeyCanary.objects.exists()  # the wrong key is not made the proof


@pytest.mark.django_db(transaction=True)
def test_a_database_not_yet_migrated_is_passed_over():
    with connection.schema_editor() as editor:
        editor.delete_model(KeyCanary)
    try:
        assert errors() == []
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(KeyCanary)


def _database_url() -> str:
    """The test database, for a process started from the test."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start(*command: str, key: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": _database_url(), "FIELD_ENCRYPTION_KEY": key}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_with_a_wrong_key_the_web_server_worker_beat_and_checks_refuse_to_start(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEY = OLD
    assert errors() == []  # the canary, committed, as a first start leaves it
    celery = ("-m", "celery", "-A", "fieldapp")
    for command in (
        ("manage.py", "check", "--deploy"),
        ("-c", "import fieldapp.wsgi"),  # what gunicorn loads
        (*celery, "worker", "--concurrency=1"),
        (*celery, "beat", "--schedule", str(tmp_path / "beat")),
    ):
        refused = start(*command, key=NEW)
        assert refused.returncode != 0, command
        assert "(fieldapp.E001) FIELD_ENCRYPTION_KEY does not open" in refused.stderr, command
    assert start("-c", "import fieldapp.wsgi", key=OLD).returncode == 0
