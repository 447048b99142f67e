import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_says_ok_and_nothing_more(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_is_503_when_the_database_is_unreachable():
    """A fresh process whose DATABASE_URL points at a port where nothing listens."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(json.dumps({'body': r.content.decode(), 'http_status': r.status_code}))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "fieldapp.settings")
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body == {"body": "unavailable", "http_status": 503}


def health_report() -> dict:
    out = StringIO()
    call_command("health", stdout=out)
    return json.loads(out.getvalue())


def test_the_health_command_reports_database_and_broker(db):
    report = health_report()
    assert report["database"] == "ok" and report["broker"] == "ok"


def test_the_health_command_reports_an_unreachable_broker(db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    assert health_report()["broker"] == "unreachable"


def test_the_heartbeat_task_shows_when_a_worker_last_ran(db):
    from fieldapp.tasks import worker_heartbeat

    worker_heartbeat.apply()
    assert health_report()["worker_last_seen_seconds"] == 0
