"""
API token sign-in with the token's user kept in Django's cache.

DRF's TokenAuthentication reads the token and its user (one join) on every API call.
CachedTokenAuthentication answers from the cache instead: the entry holds the few user
fields a request reads (the others are deferred, so reading one loads it), under a
digest of the key, never the key itself. A token that is not found, or whose user is
inactive, is not cached and gets DRF's own 401, exactly as before.

An entry is dropped when its token is deleted (regenerating a token deletes the old
one) and when its user is saved or deleted (deactivation, site, name): now, and again
on commit, since a request may have read the old rows in between. Changes that bypass
the signals (raw SQL, a queryset update, a cache outage) are seen after TIMEOUT_SECONDS.
Roles and permissions are not in the entry: the permission cache (backends.py) and the
per-request role lookups keep their own rules.
"""

import hashlib
import logging
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import User

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 300
# What an API request reads of its user: identity, permission cache key, site, language;
# in the model's order, as Model.from_db() expects them.
_READ = {"id", "username", "is_active", "is_superuser", "is_staff", "date_joined"}
_READ |= {"site_id", "language"}
USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname in _READ)


def _cache_key(token_key: str) -> str:
    return "accounts:token:" + hashlib.sha256(token_key.encode()).hexdigest()


def tokens_forget(keys: list[str]) -> None:
    """Drop the cached users of these token keys, now and when the transaction commits."""
    if not keys:
        return
    names = [_cache_key(key) for key in keys]

    def forget() -> None:
        try:
            cache.delete_many(names)
        except Exception:  # noqa: BLE001 - a cache outage must not fail the change itself
            logger.exception("could not drop cached API tokens")

    forget()
    transaction.on_commit(forget)


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        name = _cache_key(key)
        try:
            values = cache.get(name)
        except Exception:  # noqa: BLE001 - without the cache, the database answers
            logger.exception("token cache unavailable")
            return super().authenticate_credentials(key)
        if values is None:
            user, token = super().authenticate_credentials(key)  # 401 unless valid and active
            values = tuple(getattr(user, field) for field in USER_FIELDS)
            try:
                cache.set(name, values, timeout=TIMEOUT_SECONDS)
            except Exception:  # noqa: BLE001
                logger.exception("token cache unavailable")
            return user, token
        user = User.from_db(DEFAULT_DB_ALIAS, list(USER_FIELDS), list(values))
        token = Token.from_db(DEFAULT_DB_ALIAS, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token


def _on_token_change(sender: Any, instance: Token, **kwargs: Any) -> None:
    tokens_forget([instance.key])


def _on_user_change(sender: Any, instance: User, **kwargs: Any) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # every sign-in saves this; the entry does not hold it
    tokens_forget(list(Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)))


def _on_site_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Its volunteers' site becomes NULL through a queryset update, which sends no signal.
    tokens = Token.objects.filter(user__site_id=instance.pk).values_list("key", flat=True)
    tokens_forget(list(tokens))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete

    from services.sites.models import Site

    post_save.connect(_on_token_change, sender=Token, dispatch_uid="tokens:token_save")
    post_delete.connect(_on_token_change, sender=Token, dispatch_uid="tokens:token_delete")
    post_save.connect(_on_user_change, sender=User, dispatch_uid="tokens:user_save")
    pre_delete.connect(_on_user_change, sender=User, dispatch_uid="tokens:user_delete")
    pre_delete.connect(_on_site_delete, sender=Site, dispatch_uid="tokens:site_delete")
