"""
Each user's permission set, kept in Django's cache between requests.

DRF's model permissions ask user.has_perms() on every API call, and ModelBackend reads
the user's own and their groups' permissions (two queries) on every request, since it
keeps them only on the user object. PermissionCacheBackend, listed before ModelBackend,
answers from the cache instead. It never checks a password: authenticate() returns
None, so sign-in and the sessions it makes stay with ModelBackend (get_user() is
ModelBackend's, for sessions made with force_login(), which picks this backend).

A cached set is stored with the current "generation", a random value that any change
to groups, memberships or permissions replaces (perms_changed), so the next request of
every user reads the database again. Both values come in one cache round trip. The
timeout bounds how long a change made around the signals (raw SQL, a cache outage) can
go unseen.
"""

import logging
import uuid
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "accounts:perms:generation"
TIMEOUT_SECONDS = 300


def _user_key(user: Any) -> str:
    # date_joined: a user id that SQLite hands out again (deleted account, new test
    # database) never finds the permissions of the account it had before.
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"accounts:perms:{user.pk}:{joined}:{int(user.is_superuser)}"


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the change itself
        logger.exception("could not renew the cached permissions")


def perms_changed() -> None:
    """
    Every cached permission set is stale. Now, for the rest of this transaction, and
    again on commit: a request that read the old rows in between stored them under the
    generation this replaces.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


class PermissionCacheBackend(ModelBackend):
    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kwargs: Any
    ) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):  # ModelBackend reads this attribute too
            user_obj._perm_cache = self._cached_permissions(user_obj)
        return user_obj._perm_cache

    def _cached_permissions(self, user_obj: Any) -> set[str]:
        key = _user_key(user_obj)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # noqa: BLE001 - without the cache, the database answers
            logger.exception("permission cache unavailable")
            return super().get_all_permissions(user_obj)
        generation, entry = found.get(GENERATION_KEY), found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            return set(entry[1])
        perms = super().get_all_permissions(user_obj)
        try:
            if generation is None:  # first use, or the cache was emptied
                cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            else:
                cache.set(key, (generation, sorted(perms)), timeout=TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001
            logger.exception("permission cache unavailable")
        return perms


def _on_m2m_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        perms_changed()


def _on_delete(sender: Any, **kwargs: Any) -> None:
    perms_changed()


def connect_signals() -> None:
    """Memberships, group and user permissions, deleted groups and permissions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete

    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"perms:{through}")
    for model in (Group, Permission):
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"perms:{model}")
