"""
What `make demo` runs: its Celery broker (no REDIS_URL) is a SQLite file through kombu's
SQLAlchemy transport, which a real worker process reads from (kombu's filesystem
transport let two readers race for one message file, crashed the worker, and honcho
stopped the demo); beat sends a demo reminder every minute; and a port already in use
stops it with one line.
"""

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")

# Queues a worker heartbeat on the demo broker, then waits for a worker to record it.
ROUND_TRIP = """
import time, django
django.setup()
from fieldapp.health import worker_last_seen_seconds
from fieldapp.tasks import worker_heartbeat
worker_heartbeat.delay()
deadline = time.monotonic() + 30
while worker_last_seen_seconds() is None and time.monotonic() < deadline:
    time.sleep(0.2)
print("ran" if worker_last_seen_seconds() is not None else "never ran")
"""


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    """The environment of `make demo`: no Redis, no PostgreSQL, its own var/ folder."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "DATABASE_URL", "CELERY_QUEUE"}
    }
    return {**env, "FIELDAPP_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fieldapp.settings"}


@pytest.fixture
def demo_worker(demo_env: dict[str, str]) -> Iterator[subprocess.Popen]:
    worker = subprocess.Popen(
        [str(CELERY), "-A", "fieldapp", "worker", "--pool=solo", "--without-mingle"],
        cwd=ROOT,
        env=demo_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


def _python(script: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_demo_broker_is_a_sqlite_file_not_the_filesystem_transport(demo_env, tmp_path):
    url = _python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BROKER_URL)",
        demo_env,
    )
    assert url == f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"


def test_a_task_round_trips_through_the_demo_broker_to_a_real_worker(demo_env, demo_worker):
    assert _python(ROUND_TRIP, demo_env) == "ran"
    assert demo_worker.poll() is None, demo_worker.stderr


def test_make_demo_sends_a_demo_reminder_every_minute_on_the_port_asked(demo_env):
    dry_run = subprocess.run(
        [shutil.which("make") or "make", "-n", "demo", "PORT=8017"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py port_check 8017" in dry_run
    assert "DEMO_PORT=8017 DEMO_REMINDER_SECONDS=60" in dry_run
    schedule = _python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['demo-reminder'])",
        {**demo_env, "DEMO_REMINDER_SECONDS": "60"},
    )
    assert schedule == "{'task': 'services.legal.tasks.demo_reminder', 'schedule': 60.0}"


def test_a_port_in_use_stops_the_demo_with_one_line_saying_what_to_do(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as stopped:
            call_command("port_check", str(port))
    assert stopped.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"Port {port} on 127.0.0.1 is already in use: stop what listens there, "
        f"or start the demo on another port, e.g. `make demo PORT={port + 1}`."
    ]
    call_command("port_check", str(port))  # free again: no word, no exit
    assert capsys.readouterr().err == ""
