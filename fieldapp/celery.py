"""The one Celery application: its settings come from Django's, prefixed CELERY_."""

import os
from typing import Any

from celery import Celery, Task
from celery.signals import beat_init, task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldapp.settings")

app = Celery("fieldapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _database_connections_check(*, task: Task, **kwargs: Any) -> None:
    """
    What Django does around each request: close a connection that is past CONN_MAX_AGE
    or broken. Not for a task run eagerly, inside its caller's transaction.
    """
    if not getattr(task.request, "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()


@worker_init.connect
@beat_init.connect
def _start_only_where_the_web_server_would(**kwargs: Any) -> None:
    """The worker and beat run the same system checks (the encryption key among them)."""
    from fieldapp.checks import startup_checks

    startup_checks()
