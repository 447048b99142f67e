"""
What a check-in reads of its session, kept in Django's cache, and how it stays honest.

A check-in needs the session (status, site, "choose N" limit) and its offers with their
items (sizes, limits, minimum intervals). Reading them is one join of four models per
offer on every check-in; the cache keeps them per session as the join left them.

The cache is only a hint. FINGERPRINT_SQL sums up, in one string, every value of the
session, its offers and their items that a check-in's rules read. The snapshot stores
the fingerprint read in the same statement as its rows, and checkin_record() reads the
current one again inside its transaction, in the statement that locks the person: when
they differ (the session was closed, an item or an offer changed, the cache is stale for
any reason) the check-in reads the session again from the database and goes on with
that. A stale cache costs one query; it can never let a check-in through for a closed
session or hand out what is no longer offered.

So that the fingerprint rarely differs, every save or delete of a session, an offer, an
item type or a site renews the generation the snapshots are stored under: now, and again
on commit (a request may have cached the old rows in between).
"""

import logging
import uuid
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "distributions:checkin-snapshot:generation"
TIMEOUT_SECONDS = 3600

_PART = """CAST(o.item_id AS TEXT) || ':' || CAST(o.limit_per_person AS TEXT) || ':'
    || CAST(o.sizes AS TEXT) || ':' || CAST(i.sizes AS TEXT) || ':'
    || COALESCE(CAST(i.min_interval_days AS TEXT), '-')"""
_OFFERS = {
    "postgresql": f"""
        SELECT string_agg({_PART}, ',' ORDER BY o.item_id)
          FROM distributions_sessionitem o JOIN distributions_itemtype i ON i.id = o.item_id
         WHERE o.session_id = s.id""",  # noqa: S608 - fixed SQL, no value in it
    "sqlite": f"""
        SELECT group_concat(part, ',') FROM (
            SELECT {_PART} AS part
              FROM distributions_sessionitem o JOIN distributions_itemtype i ON i.id = o.item_id
             WHERE o.session_id = s.id ORDER BY o.item_id)""",  # noqa: S608 - as above
}


def fingerprint_sql() -> str:
    """
    A scalar subquery (one %s: the session id): NULL without such a session, else a
    string that starts with the status and a '/'.
    """
    return f"""(
        SELECT s.status || '/' || CAST(s.site_id AS TEXT) || '/'
               || COALESCE(CAST(s.choose_limit AS TEXT), '-') || '/' || CAST(s.created_at AS TEXT)
               || '/' || COALESCE(({_OFFERS[connection.vendor]}), '')
          FROM distributions_distributionsession s WHERE s.id = %s)"""  # noqa: S608 - as above


def status_of(fingerprint: str) -> str:
    return fingerprint.split("/", 1)[0]


def _key(session_id: int) -> str:
    return f"distributions:checkin-snapshot:{session_id}"


def snapshot_get(session_id: int) -> tuple[str | None, Any]:
    """(generation, snapshot or None); (None, None) when the cache does not answer."""
    try:
        found = cache.get_many([GENERATION_KEY, _key(session_id)])
    except Exception:  # noqa: BLE001 - without the cache, the database answers
        logger.exception("check-in snapshot cache unavailable")
        return None, None
    generation, entry = found.get(GENERATION_KEY), found.get(_key(session_id))
    if generation is not None and entry is not None and entry[0] == generation:
        return generation, entry[1]
    return generation, None


def snapshot_set(session_id: int, generation: str | None, snapshot: Any) -> None:
    try:
        if generation is None:  # first use, or the cache was emptied
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        else:
            cache.set(_key(session_id), (generation, snapshot), timeout=TIMEOUT_SECONDS)
    except Exception:  # noqa: BLE001
        logger.exception("check-in snapshot cache unavailable")


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the change itself
        logger.exception("could not renew the check-in snapshots")


def snapshots_forget() -> None:
    """Every cached snapshot is stale: now, and again when the transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _on_change(sender: Any, **kwargs: Any) -> None:
    snapshots_forget()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from services.sites.models import Site

    from .models import DistributionSession, ItemType, SessionItem

    for model in (DistributionSession, SessionItem, ItemType, Site):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"snapshot:save:{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"snapshot:delete:{model}")
