"""
Is fieldapp well: /healthz answers only whether the database can be reached ("ok" or
503), telling the internet nothing more; `manage.py health` gives the operator the
whole report (database, broker, how long since a worker last ran).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from kombu import Connection

HEARTBEAT_CACHE_KEY = "fieldapp:worker-heartbeat"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure to connect means "not reachable"
        return False


def heartbeat_store() -> None:
    cache.set(HEARTBEAT_CACHE_KEY, time.time(), timeout=None)


def worker_last_seen_seconds() -> int | None:
    try:
        beat = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not break the health check
        return None
    return None if beat is None else max(0, int(time.time() - beat))


def report() -> dict[str, object]:
    return {
        "database": "ok" if database_ok() else "unreachable",
        "broker": "ok" if broker_ok() else "unreachable",
        "worker_last_seen_seconds": worker_last_seen_seconds(),
    }
