"""
The nightly backup and the restore check, run as an operator runs them: a dump made here
by deploy/backup/fieldapp-backup.sh, then deploy/backup/restore-check.sh (`make
restore-check`), which restores it into a scratch database and counts what came back.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from services.people.models import Person
from tests.factories import PersonFactory
from tests.messaging.workers import database_url

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup" / "fieldapp-backup.sh"
RESTORE_CHECK = ROOT / "deploy" / "backup" / "restore-check.sh"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the backups are pg_dump's: this run uses SQLite (set DATABASE_URL to PostgreSQL)",
)


def run(script: Path, backup_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BACKUP_DIR": str(backup_dir),
        "FIELDAPP_PYTHON": sys.executable,
        # Beside the test database, named after it: two test runs never share one.
        "RESTORE_CHECK_DB": f"{connection.settings_dict['NAME']}_restore_check",
        **env,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [str(script)], env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def counts(output: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r"^(\w+): (\d+)$", output, re.MULTILINE)}


@pytest.mark.django_db(transaction=True)
def test_the_restore_check_restores_the_latest_dump_and_counts_its_rows(tmp_path, site):
    PersonFactory.create_batch(7)
    backup = run(BACKUP, tmp_path)
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("fieldapp-*.dump")
    assert dump.stat().st_mode & 0o777 == 0o600
    PersonFactory.create()  # after the dump: the restore must not see it

    check = run(RESTORE_CHECK, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    restored = counts(check.stdout)
    assert restored["people_person"] == Person.objects.count() - 1 == 7
    assert restored["django_migrations"] > 0
    assert "migrations: all applied" in check.stdout
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname LIKE '%%_restore_check'")
        assert cursor.fetchall() == [], "the scratch database is dropped"


@pytest.mark.django_db(transaction=True)
def test_a_dump_the_restore_cannot_read_fails_the_check(tmp_path):
    (tmp_path / "fieldapp-20990101T000000Z.dump").write_bytes(b"not a dump")
    check = run(RESTORE_CHECK, tmp_path)
    assert check.returncode != 0
    assert "20990101T000000Z" in check.stdout


def test_without_a_dump_the_check_fails_in_one_line(tmp_path):
    check = run(RESTORE_CHECK, tmp_path)
    assert check.returncode == 1
    assert check.stderr.strip() == f"restore-check: no fieldapp-*.dump in {tmp_path}"


@pytest.mark.django_db(transaction=True)
def test_dumps_older_than_the_retention_are_removed_and_newer_kept(tmp_path):
    old, recent = tmp_path / "fieldapp-20000101T031500Z.dump", tmp_path / "fieldapp-recent.dump"
    for path, days in ((old, 20), (recent, 3)):
        path.write_bytes(b"")
        then = time.time() - days * 24 * 3600
        os.utime(path, (then, then))
    backup = run(BACKUP, tmp_path, BACKUP_KEEP_DAYS="14")
    assert backup.returncode == 0, backup.stderr
    assert not old.exists() and recent.exists()
    assert len(list(tmp_path.glob("fieldapp-2*.dump"))) == 1  # tonight's
