import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["broker"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable():
    """A fresh process whose DATABASE_URL points at a port where nothing listens."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(json.dumps({**r.json(), 'http_status': r.status_code}))"
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
    assert body["http_status"] == 503
    assert body["database"] == "unreachable"


def test_healthz_reports_an_unreachable_broker(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable"


def test_the_heartbeat_task_shows_when_a_worker_last_ran(client, db):
    from fieldapp.tasks import worker_heartbeat

    worker_heartbeat.apply()
    assert client.get("/healthz").json()["worker_last_seen_seconds"] == 0
