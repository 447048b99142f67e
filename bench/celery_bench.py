"""
Worker side of bench/dispatch.py, loaded with `celery -A fieldapp worker -I bench.celery_bench`.

Each task's SQL statements are counted with a Django execute wrapper (what
assertNumQueries counts: statements through Django's cursor, not BEGIN/COMMIT or the
connection health check) and added to a Redis counter that the bench reads at the end.
Each pool process is also warmed up as a long-running worker is: database connection
open, Twilio client and translated templates loaded.
"""

import os
from typing import Any

import redis
from celery.signals import task_postrun, task_prerun, worker_process_init
from django.db import connection

QUERIES_KEY = "bench:queries"
TASKS_KEY = "bench:tasks"


class _State:
    queries = 0
    wrapper: Any = None
    client: redis.Redis | None = None


def _count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    _State.queries += 1
    return execute(sql, params, many, context)


@worker_process_init.connect
def _warm_up(**kwargs: Any) -> None:
    from django.conf import settings

    from services.messaging.backends import get_backend
    from services.messaging.sms_templates import Kind, template_render

    client = getattr(get_backend(), "client", None)
    if client is not None:
        client.messages  # noqa: B018 - the SDK imports its API modules on first use
    context = {"date": "28/11", "time": "15:00", "place": "Calais"}
    for language, _name in settings.LANGUAGES:
        template_render(Kind.APPOINTMENT_REMINDER, language, context)
    connection.ensure_connection()
    _State.client = redis.Redis.from_url(os.environ["REDIS_URL"])


@task_prerun.connect
def _start_counting(**kwargs: Any) -> None:
    _State.queries = 0
    _State.wrapper = connection.execute_wrapper(_count)
    _State.wrapper.__enter__()


@task_postrun.connect
def _stop_counting(**kwargs: Any) -> None:
    if _State.wrapper is not None:
        _State.wrapper.__exit__(None, None, None)
        _State.wrapper = None
    if _State.client is None:
        _State.client = redis.Redis.from_url(os.environ["REDIS_URL"])
    with _State.client.pipeline() as pipe:
        pipe.incrby(QUERIES_KEY, _State.queries).incr(TASKS_KEY).execute()
