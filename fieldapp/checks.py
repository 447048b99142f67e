"""
fieldapp refuses to start with a FIELD_ENCRYPTION_KEY that does not open the notes in
its database: with a wrong key every medical and legal note would be unreadable, and
new ones would be written under that key.

The proof is the key canary (fieldapp/models.py), written with the first key on the
first start. A system check, so it runs wherever Django's checks run (runserver,
migrate, check, check --deploy), and in startup_checks() for gunicorn and Celery, which
run none of their own.
"""

import logging
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, connections

from fieldapp.crypto import UnreadableText, encrypted_fields, fernet
from fieldapp.models import CANARY_TEXT, KeyCanary

logger = logging.getLogger(__name__)

WRONG_KEY = checks.Error(
    "FIELD_ENCRYPTION_KEY does not open the notes stored in this database. With it, "
    "every medical and legal note would show as unreadable, and new notes would be "
    "written under a key that the others do not share.",
    hint=(
        "Set FIELD_ENCRYPTION_KEY to the key the notes were written with. To change keys, "
        "put the new key first and the old one after it, separated by a comma, run "
        "`manage.py notes_reencrypt`, and only then remove the old key."
    ),
    id="fieldapp.E001",
)


@checks.register(checks.Tags.security)
def encryption_key_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    try:
        fernet()
        return _key_problems()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="fieldapp.E002")]
    except OperationalError as error:
        # The database is down: nothing to prove the key against, and nothing to serve
        # either (the site answers 503 until it is back).
        logger.warning("FIELD_ENCRYPTION_KEY not checked, the database is out of reach: %s", error)
        return []


def _key_problems() -> list[checks.CheckMessage]:
    if KeyCanary._meta.db_table not in connection.introspection.table_names():
        return []  # not migrated yet: the first start after the migration writes the canary
    canary = KeyCanary.objects.first()
    if canary is None:
        if not _newest_notes_open():
            return [WRONG_KEY]
        KeyCanary.objects.get_or_create(pk=1, defaults={"text": CANARY_TEXT})
        return []
    return [] if canary.opens() else [WRONG_KEY]


def _newest_notes_open() -> bool:
    """
    Before there is a canary (the first start of a database that already holds notes),
    the newest note of each kind stands in for it: the key is wrong when notes are
    stored and none of these opens.
    """
    newest = [
        model._default_manager.exclude(**{name: ""})
        .order_by("-pk")
        .values_list(name, flat=True)
        .first()
        for model, name in encrypted_fields()
        if model is not KeyCanary
    ]
    stored = [note for note in newest if note is not None]
    return not stored or any(not isinstance(note, UnreadableText) for note in stored)


def startup_checks() -> None:
    """
    What runserver does before it serves: run the system checks, and stop with their
    messages when one is an error. The connection the checks opened is closed, so that
    processes forked after this (gunicorn's workers, Celery's pool) never share it.
    """
    try:
        serious = [message for message in checks.run_checks() if message.is_serious()]
    finally:
        connections.close_all()
    if serious:
        raise SystemExit("\n".join(str(message) for message in serious))
