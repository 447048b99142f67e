"""
Real Celery workers for the delivery-guarantee tests: separate processes on a real
broker (Redis when REDIS_URL is set, otherwise kombu's SQLAlchemy transport on a SQLite
file, as the demo uses), sharing the test database and sending through the Twilio stub.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

from fieldapp.celery import app

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database (not the dev one), as a URL a worker process can use."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Broker:
    """A private queue on the configured broker, which the test can wipe like a Redis crash."""

    def __init__(self, tmp_path: Path):
        self.queue = f"test-{uuid.uuid4().hex[:10]}"
        self.redis_url = ""
        if settings.REDIS_URL:
            base, _slash, number = settings.REDIS_URL.rpartition("/")
            # A database of its own, so a flush hits only us (and not a second test run
            # on the same server, which uses another REDIS_URL database).
            own = (int(number) if number.isdigit() else 0) + 8
            self.redis_url = f"{base}/{own % 16}"
            self.url, self.options = self.redis_url, {}
            self.var_dir = tmp_path
        else:
            # The same transport and file as a worker started with FIELDAPP_VAR_DIR=tmp_path
            # reads from settings.CELERY_BROKER_URL.
            self.var_dir = tmp_path
            self.sqlite_file = tmp_path / "celery-broker.sqlite3"
            self.url = f"sqla+sqlite:///{self.sqlite_file}"
            self.options = {"connect_args": {"timeout": 30}}
        self._saved = (
            app.conf.broker_url,
            app.conf.broker_transport_options,
            app.conf.task_default_queue,
        )
        self._use(self.url, self.options, self.queue)

    def _use(self, url: str, options: dict, queue: str) -> None:
        app.conf.broker_url = url
        app.conf.broker_transport_options = options
        app.conf.task_default_queue = queue
        app._pool = None
        app.amqp._producer_pool = None

    def flush(self) -> None:
        """Lose every queued task, as when Redis restarts empty."""
        if self.redis_url:
            redis.Redis.from_url(self.redis_url).flushdb()
        else:
            with sqlite3.connect(self.sqlite_file, timeout=30) as broker_db:
                broker_db.execute("DELETE FROM kombu_message")

    def close(self) -> None:
        if self.redis_url:
            redis.Redis.from_url(self.redis_url).flushdb()
        self._use(*self._saved)


class Worker:
    """`celery worker` in its own process group, so it can be SIGKILLed whole."""

    def __init__(self, broker: Broker, env: dict[str, str]):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fieldapp.settings",
            "DATABASE_URL": database_url(),
            "CELERY_QUEUE": broker.queue,
            "FIELDAPP_VAR_DIR": str(broker.var_dir),
            **env,
        }
        environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        if broker.redis_url:
            environment["REDIS_URL"] = broker.redis_url
        else:
            environment.pop("REDIS_URL", None)
        self.log = open(broker.var_dir / f"worker-{uuid.uuid4().hex[:6]}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "fieldapp",
                "worker",
                "--concurrency=1",
                "--pool=prefork",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()


def wait_for(
    condition: Callable[[], bool],
    timeout: float,
    tick: Callable[[], object] = lambda: None,
    describe: Callable[[], str] = lambda: "",
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tick()
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not reached within {timeout} s. {describe()}")
