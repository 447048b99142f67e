"""
Encryption at rest for clinical and legal notes.

FIELD_ENCRYPTION_KEY holds one or more Fernet keys separated by commas: the first
encrypts, all of them decrypt. To rotate, put a new key first, keep the old ones after
it, run `manage.py notes_reencrypt`, then drop the old keys. A database dump, a backup
or raw SQL shows only Fernet tokens. fieldapp does not start with keys that cannot open
the key canary stored with the notes (fieldapp/checks.py).
"""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F
from django.utils.translation import gettext

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


@cache
def _current(keys: str) -> Fernet:
    _fernet(keys)  # the same refusal of a malformed key
    return Fernet(next(key.strip() for key in keys.split(",") if key.strip()))


def fernet() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def current_key_opens(token: str) -> bool:
    """Whether the first key, the one that writes, opens the token."""
    try:
        _current(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def encrypt_text(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    """Raises InvalidToken when none of the configured keys opens the token."""
    return fernet().decrypt(token.encode()).decode()


class UnreadableText(str):
    """
    What a note loads as when none of the configured keys opens it: a translated
    message in place of the text, for that row alone, so that one such row never
    breaks a page, a list or an API answer. Saving the row writes the stored token
    back unchanged: the key it was written with may still be found.
    """

    token: str

    def __new__(cls, token: str) -> "UnreadableText":
        text = super().__new__(cls, gettext("This note cannot be read with the current key."))
        text.token = token
        return text

    def __getnewargs__(self) -> tuple[str]:  # type: ignore[override]
        return (self.token,)


class EncryptedTextField(models.TextField):
    """
    Text stored as a Fernet token, decrypted on load (UnreadableText when no key opens
    it). An empty string stays empty so "no notes" needs no key. Encrypted values
    cannot be searched or ordered by.
    """

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, UnreadableText):
            return value.token
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value in (None, ""):
            return value
        try:
            return decrypt_text(value)
        except InvalidToken:
            return UnreadableText(value)


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that holds encrypted text, across all apps."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


def _reencrypt_field(model: type[models.Model], name: str, batch: int) -> dict[str, int]:
    manager = model._default_manager
    ids = list(manager.exclude(**{name: ""}).order_by("pk").values_list("pk", flat=True))
    counts = {"re-encrypted": 0, "already current": 0, "unreadable": 0}
    stored = ExpressionWrapper(F(name), output_field=models.TextField())  # the token itself
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            rows = manager.filter(pk__in=ids[start : start + batch]).select_for_update()
            for pk, token in rows.annotate(token=stored).values_list("pk", "token"):
                if current_key_opens(token):
                    counts["already current"] += 1
                    continue
                try:
                    plain = decrypt_text(token)
                except InvalidToken:
                    counts["unreadable"] += 1
                    continue
                manager.filter(pk=pk).update(**{name: plain})
                counts["re-encrypted"] += 1
    return counts


def notes_reencrypt(*, batch: int = 500) -> dict[str, dict[str, int]]:
    """
    Re-encrypt every stored note with the first (current) key: a value that an older
    key opens is written back under the first; one the first key opens already is left
    alone; one that no key opens is left as it is and counted. Returns, per
    "app.Model.field", how many notes were re-encrypted, already current, unreadable.
    """
    return {
        f"{model._meta.label}.{name}": _reencrypt_field(model, name, batch)
        for model, name in encrypted_fields()
    }


__all__ = [
    "EncryptedTextField",
    "InvalidToken",
    "TOKEN_PREFIX",
    "UnreadableText",
    "notes_reencrypt",
]
