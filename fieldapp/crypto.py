"""
Encryption at rest for clinical and legal notes.

FIELD_ENCRYPTION_KEY holds one or more Fernet keys separated by commas: the first
encrypts, all of them decrypt. To rotate, put a new key first, keep the old ones after
it, run `manage.py notes_reencrypt`, then drop the old keys. A database dump, a backup
or raw SQL shows only Fernet tokens.
"""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

# Every Fernet token starts with its version byte and a timestamp: tests and checks look for it.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105


@cache
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more Fernet keys separated by commas."
        ) from error


def fernet() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def encrypt_text(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    """Raises InvalidToken when none of the configured keys opens the token."""
    return fernet().decrypt(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """
    Text stored as a Fernet token, decrypted on load. An empty string stays empty so
    "no notes" needs no key. Encrypted values cannot be searched or ordered by.
    """

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value in (None, ""):
            return value
        return decrypt_text(value)


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that holds encrypted text, across all apps."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


def notes_reencrypt(*, batch: int = 500) -> dict[str, int]:
    """
    Re-encrypt every stored note with the first (current) key: each value is read
    with whichever key opens it and written back under the first. Returns the number
    of rows per model.
    """
    rotated: dict[str, int] = {}
    for model, name in encrypted_fields():
        manager = model._default_manager
        ids = list(manager.exclude(**{name: ""}).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                rows = manager.filter(pk__in=ids[start : start + batch]).select_for_update()
                for pk, plain in rows.values_list("pk", name):
                    manager.filter(pk=pk).update(**{name: plain})
        rotated[model._meta.label] = len(ids)
    return rotated


__all__ = ["EncryptedTextField", "InvalidToken", "TOKEN_PREFIX", "notes_reencrypt"]
