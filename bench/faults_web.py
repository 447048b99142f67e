"""
The web faults of bench/faults.py: PostgreSQL stopped under load, its disk full. gunicorn
(deploy/gunicorn.conf.py) runs behind nginx (bench/stack.py) on the run's own cluster;
phones post check-ins with a UUID each and re-send what was not acknowledged, as the
check-in page does, and the database is compared with what was acknowledged.
"""

import contextlib
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import requests

from bench import checkin
from bench.stack import Nginx, Postgres, gunicorn_start, log, stop

UNAVAILABLE_PAGE = "Back in a minute"


class Phones:
    """Phones posting check-ins through nginx, each keeping what is not acknowledged."""

    def __init__(self, base: str, token: str, session_id: int, items: dict, codes: list) -> None:
        self.base, self.session_id, self.items, self.codes = base, session_id, items, codes
        self.headers = {"Authorization": f"Token {token}"}
        self.acknowledged: list[str] = []
        self.waiting: list[dict] = []
        self.answers: Counter = Counter()
        self.last_ok = 0.0
        self.running = True
        self.lock = threading.Lock()

    def post(self, http: requests.Session, body: dict) -> bool:
        try:
            answer = http.post(
                f"{self.base}/api/v1/checkins/", json=body, headers=self.headers, timeout=20
            )
            status = answer.status_code
        except requests.RequestException as error:
            status = type(error).__name__
        with self.lock:
            self.answers[status] += 1
            if status in (200, 201):
                self.acknowledged.append(body["uuid"])
                self.last_ok = time.monotonic()
                return True
            self.waiting.append(body)
        return False

    def phone(self, bodies: list[dict]) -> None:
        http = requests.Session()
        while self.running:
            with self.lock:
                again = self.waiting.pop(0) if self.waiting else None
            self.post(http, again or bodies.pop())
            time.sleep(0.2)

    def start(self, count: int = 4) -> list[threading.Thread]:
        bodies = [
            checkin.checkin_body(i, self.session_id, self.items, self.codes) for i in range(5000)
        ]
        threads = [threading.Thread(target=self.phone, args=(bodies,)) for _ in range(count)]
        for thread in threads:
            thread.start()
        return threads

    def finish(self, threads: list[threading.Thread], timeout: float = 60) -> None:
        """Stop posting new ones; the waiting ones are re-sent until acknowledged."""
        self.running = False
        for thread in threads:
            thread.join()
        http, deadline = requests.Session(), time.monotonic() + timeout
        while self.waiting and time.monotonic() < deadline:
            body = self.waiting.pop(0)
            if not self.post(http, body):
                time.sleep(0.5)


def _held(session, phones: Phones) -> dict[str, int]:
    """Lost and doubled: the database against the acknowledged UUIDs."""
    from django.db import connection

    connection.close()  # this process's own connection did not outlive the stop
    checkin.ACKNOWLEDGED[:] = phones.acknowledged
    found = dict(checkin.handouts_check(session))
    return {
        "lost": int(found["lost_checkins"]) + len(phones.waiting),
        "doubled": int(found["double_handouts"]),
    }


def _stack(work: Callable) -> dict:
    """Seed, start gunicorn and nginx, run work(base, phones, session), stop them."""
    items = checkin.catalogue()
    site = checkin.seed(200, items)
    session, token, codes = checkin.run_prepare(site, items)
    server_log = tempfile.NamedTemporaryFile("w+", prefix="bench-faults-")  # noqa: SIM115
    gunicorn, nginx = None, None
    try:
        gunicorn, backend = gunicorn_start(server_log, 2)
        nginx = Nginx([backend])
        phones = Phones(nginx.base, token, session.pk, items, codes)
        found = work(nginx.base, phones)
        return found | _held(session, phones)
    finally:
        if nginx is not None:
            nginx.stop()
        stop(gunicorn)
        server_log.seek(0)
        errors = [line for line in server_log if "Traceback" in line or "Error" in line]
        log(f"gunicorn: {len(errors)} error lines; first: {errors[:3]}")
        server_log.close()


def _page_reader(base: str, seen: Counter, running: list[bool]) -> None:
    """A signed-in volunteer reloading the people page twice a second."""
    browser = checkin.Browser(base)
    browser.sign_in()
    while running[0]:
        try:
            page = browser.fetch(f"{base}/people/")
            kind = page.status_code
            if kind == 503 and UNAVAILABLE_PAGE not in page.text:
                kind = "503 without the page"
        except requests.RequestException as error:
            kind = type(error).__name__
        seen[kind] += 1
        time.sleep(0.5)


def postgres(pg: Postgres) -> dict:
    def work(base: str, phones: Phones) -> dict:
        pages, running = Counter(), [True]
        reader = threading.Thread(target=_page_reader, args=(base, pages, running))
        reader.start()
        threads = phones.start()
        time.sleep(5)
        before, pages_before = Counter(phones.answers), Counter(pages)
        pg.stop()
        log("PostgreSQL stopped")
        time.sleep(10)
        down = Counter(phones.answers) - before
        down_pages = Counter(pages) - pages_before
        pg.start()
        restarted = time.monotonic()
        log(f"PostgreSQL started; check-ins while down: {dict(down)}, pages: {dict(down_pages)}")
        deadline = restarted + 60
        while phones.last_ok < restarted and time.monotonic() < deadline:
            time.sleep(0.1)
        recovery = phones.last_ok - restarted if phones.last_ok >= restarted else -1
        time.sleep(5)
        running[0] = False
        reader.join()
        phones.finish(threads)
        log(f"all check-in answers: {dict(phones.answers)}; pages: {dict(pages)}")
        other = sum(k for s, k in down.items() if s not in (200, 201, 503))
        return {
            "answers_503": down.get(503, 0),
            "other_errors": other + sum(k for s, k in down_pages.items() if s not in (200, 503)),
            "pages_503": down_pages.get(503, 0),
            "recovery_seconds": f"{recovery:.1f}",
        }

    return _stack(work)


def disk_full(pg: Postgres) -> dict:
    mount = Path(tempfile.mkdtemp(prefix="bench-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], check=True)
    try:
        subprocess.run(["chown", "postgres:postgres", str(mount)], check=True)
        return _disk_full(mount)
    finally:
        from django.db import DatabaseError, connection

        with contextlib.suppress(DatabaseError):
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_filler")
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} SET TABLESPACE pg_default")
                cursor.execute("DROP TABLESPACE IF EXISTS bench_small")
        subprocess.run(["umount", str(mount)], check=False)
        with contextlib.suppress(OSError):
            mount.rmdir()


TABLES = ["distributions_checkin", "distributions_handout", "distributions_stockmovement"]


def _disk_full(mount: Path) -> dict:
    from django.db import DatabaseError, connection

    def work(base: str, phones: Phones) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLESPACE bench_small LOCATION '{mount}'")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} SET TABLESPACE bench_small")  # noqa: S608
            cursor.execute("CREATE TABLE bench_filler (x text) TABLESPACE bench_small")
            with contextlib.suppress(DatabaseError):
                for _ in range(100):  # 1 MB at a time until the disk is full
                    cursor.execute(
                        "INSERT INTO bench_filler SELECT md5(random()::text) || repeat('x', 400)"
                        " FROM generate_series(1, 2000)"
                    )
        log("the tablespace is full")
        threads = phones.start()
        deadline = time.monotonic() + 60
        while not (set(phones.answers) - {200, 201}) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)
        full = Counter(phones.answers)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_filler")
        log(f"space freed; answers while full: {dict(full)}")
        time.sleep(5)
        phones.finish(threads)
        other = sum(k for s, k in full.items() if s not in (200, 201, 503))
        return {"answers_503": full.get(503, 0), "other_errors": other}

    return _stack(work)


FAULTS: dict[str, Callable[[Postgres], dict]] = {"postgres": postgres, "disk_full": disk_full}
