"""
Is fieldapp well: /healthz answers only whether the database can be reached ("ok" or
503), telling the internet nothing more; `manage.py health` gives the operator the
whole report (database, broker, how long since a worker last ran).
"""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from kombu import Connection
from kombu.exceptions import ChannelError

HEARTBEAT_CACHE_KEY = "fieldapp:worker-heartbeat"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _broker() -> Connection:
    """The Celery broker, given two seconds to answer."""
    return Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    )


def broker_ok() -> bool:
    try:
        with _broker() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure to connect means "not reachable"
        return False


def broker_queue_length() -> int | None:
    """Tasks waiting in the broker for a worker (None when the broker cannot be asked)."""
    try:
        with _broker() as broker:
            declared = broker.default_channel.queue_declare(
                queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=True
            )
            return int(declared.message_count)
    except ChannelError:
        return 0  # Redis keeps no empty list: no queue yet is an empty queue
    except Exception:  # noqa: BLE001 - any failure to connect means "not reachable"
        return None


def disk_free_percent(path: Path) -> float:
    """Free space on the file system holding path (the upload, cache and beat folder)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    return round(100 * usage.free / usage.total, 1)


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
