"""
Dispatch benchmark: N SMS due now, from the outbox to the provider through real Celery
workers on Redis, on PostgreSQL, as in production.

    .venv/bin/python bench/dispatch.py            # N = 10,000
    .venv/bin/python bench/dispatch.py --quick    # N = 2,000, for CI and reviews

1. Set-up (not timed): create the bench database if missing and migrate it, flush the
   bench's Redis database, delete the previous run's people and messages, and create
   N opted-in people with distinct French mobile numbers (nine languages in turn).
2. Schedule N reminders due now with messages_schedule_bulk(); each has its own place
   in the context, so each text is unique. Timed: `bulk_schedule_seconds`.
3. Start one `celery -A fieldapp worker --concurrency=2` (two pool processes, as
   deploy/systemd runs it) with SMS_BACKEND=twilio pointed at the Twilio stub of
   tests/messaging/twilio_stub.py, served from this process. Wait until it answers ping.
4. The clock starts. This process plays beat: it calls messages_dispatch() every
   TICK seconds with SMS_DISPATCH_INTERVAL_SECONDS=TICK and SMS_MAX_PER_SECOND=100,000,
   so the rate limit never binds and the pipeline's own speed is measured. It polls
   the database until all N rows are `sent`.

Figures, printed last on stdout:
- messages_per_second: N / (last sent_at - clock start).
- p95_schedule_to_send_ms: 95th percentile of sent_at - max(created_at, clock start).
  Every row is created before the clock starts, so this is the time from "all N due
  and workers ready" to a message reaching the provider: a burst's queueing latency.
- queries_per_message: SQL statements run by the worker tasks (counted by
  bench/celery_bench.py) and by the dispatcher calls, divided by N.
- duplicates: texts the provider received beyond one per (number, body).
Exits non-zero on a timeout, a dead worker, failed or missing messages.
"""

import argparse
import math
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TICK = 0.2  # seconds between dispatcher runs
LANGUAGES = ["en", "fr", "ar", "ps", "fa", "ckb", "ti", "am", "ur"]
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fieldapp_bench"
REDIS_URL = "redis://127.0.0.1:6379/13"


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N=2,000 (CI, reviews)")
    parser.add_argument("--n", type=int, help="number of messages (default 10,000)")
    parser.add_argument("--batch", type=int, default=50, help="SMS_SEND_BATCH (default 50)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for sends")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DATABASE_URL),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", REDIS_URL),
        help="a Redis database for the bench alone: it is flushed",
    )
    args = parser.parse_args()
    args.n = args.n or (2000 if args.quick else 10000)
    return args


def configure(args: argparse.Namespace) -> None:
    """The environment of this process and the worker, before Django reads it."""
    from cryptography.fernet import Fernet

    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",  # as in production: no query log in memory
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CELERY_QUEUE=f"bench-{uuid.uuid4().hex[:8]}",
        LOG_LEVEL="WARNING",
        SMS_BACKEND="twilio",
        SMS_MAX_PER_SECOND="100000",
        SMS_DISPATCH_INTERVAL_SECONDS=str(TICK),
        SMS_SEND_BATCH=str(args.batch),
        SMS_QUIET_HOURS_START="0",
        SMS_QUIET_HOURS_END="0",
        SMS_PUBLIC_BASE_URL="",
    )


def database_prepare(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if conn.execute(query, [db["NAME"]]).fetchone() is None:
            log(f"creating database {db['NAME']}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )


def person_code(n: int) -> str:
    """Z followed by n in base 32: unique, and in the card-code alphabet."""
    digits = "".join(CODE_ALPHABET[(n // 32**i) % 32] for i in range(4, -1, -1))
    return f"Z{digits[:2]}-{digits[2:]}"


def people_create(n: int) -> list:
    from services.messaging.models import Message
    from services.people.models import Person
    from services.sites.models import Site

    site, _created = Site.objects.get_or_create(name="Bench dispatch")
    Message.objects.filter(person__home_site=site).delete()
    Person.objects.filter(home_site=site).delete()
    people = [
        Person(
            code=person_code(i),
            phone=f"+3361{i:07d}",
            language=LANGUAGES[i % len(LANGUAGES)],
            sms_consent=True,
            home_site=site,
        )
        for i in range(n)
    ]
    return Person.objects.bulk_create(people, batch_size=2000)


def worker_start(stub, log_file) -> subprocess.Popen:
    env = {
        **os.environ,
        "TWILIO_ACCOUNT_SID": stub.account_sid,
        "TWILIO_AUTH_TOKEN": stub.auth_token,
        "TWILIO_FROM": "+33700000000",
        "TWILIO_API_BASE_URL": stub.base_url,
    }
    command = [sys.executable, "-m", "celery", "-A", "fieldapp", "worker"]
    command += ["-I", "bench.celery_bench", "--concurrency=2", "--pool=prefork"]
    command += ["--loglevel=WARNING", "--without-heartbeat", "--without-gossip"]
    command += ["--without-mingle", "-n", f"{os.environ['CELERY_QUEUE']}@%h"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_wait(process: subprocess.Popen, timeout: float = 60) -> None:
    from fieldapp.celery import app

    name = os.environ["CELERY_QUEUE"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited with code {process.returncode}")
        if any(name in reply for answer in app.control.ping(timeout=0.5) for reply in answer):
            return
    raise RuntimeError(f"the worker did not answer ping within {timeout:.0f} s")


def worker_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def dispatch_until_sent(ids: range, process, timeout: float) -> tuple[datetime, int]:
    """Play beat until every row is sent; returns the clock start and the queries run."""
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from services.messaging.models import Message
    from services.messaging.tasks import messages_dispatch

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    rows = Message.objects.filter(id__gte=ids.start, id__lt=ids.stop)
    started, start = timezone.now(), time.monotonic()
    next_tick = start
    while True:
        if time.monotonic() >= next_tick:
            next_tick += TICK
            with connection.execute_wrapper(count):
                messages_dispatch()
        by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
        waiting = {s: k for s, k in by_status.items() if s != Message.Status.SENT}
        elapsed = time.monotonic() - start
        log(f"{elapsed:6.1f} s  sent {by_status.get('sent', 0)}/{len(ids)}  {waiting}")
        if not waiting:
            return started, queries
        if {Message.Status.FAILED, Message.Status.CANCELLED} & set(waiting):
            raise RuntimeError(f"messages failed or were cancelled: {waiting}")
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited with code {process.returncode}")
        if elapsed > timeout:
            raise RuntimeError(f"not all sent within {timeout:.0f} s: {waiting}")
        time.sleep(max(0.0, min(0.5, next_tick - time.monotonic())))


def main() -> int:
    args = parse_args()
    configure(args)
    log(f"N={args.n}, SMS_SEND_BATCH={args.batch}, queue {os.environ['CELERY_QUEUE']}")
    database_prepare(args.database_url)

    import django

    django.setup()
    import redis

    from bench.celery_bench import QUERIES_KEY, TASKS_KEY
    from services.messaging.actions.schedule import ScheduleItem, messages_schedule_bulk
    from services.messaging.models import Message
    from tests.messaging.twilio_stub import TwilioStub

    broker = redis.Redis.from_url(args.redis_url)
    broker.flushdb()
    results: dict[str, str] = {}
    stub = TwilioStub()
    worker_log = tempfile.NamedTemporaryFile("w+", prefix="bench-worker-", suffix=".log")  # noqa: SIM115
    process = None
    failed = False
    try:
        people = people_create(args.n)
        items = [
            ScheduleItem(
                key=f"bench-{i}",
                kind="appointment_reminder",
                person=person,
                context={"date": "28/11", "time": "15:00", "place": f"P{i}"},
            )
            for i, person in enumerate(people)
        ]
        start = time.perf_counter()
        written = messages_schedule_bulk(items=items)
        results["bulk_schedule_seconds"] = f"{time.perf_counter() - start:.2f}"
        ids = Message.objects.filter(idempotency_key__startswith="bench-").values_list("id")
        first, last = min(i for (i,) in ids), max(i for (i,) in ids)
        if written != args.n or last - first + 1 != args.n:
            raise RuntimeError(f"scheduled {written} messages, ids {first}..{last}")
        log(f"scheduled {written} in {results['bulk_schedule_seconds']} s; starting the worker")

        process = worker_start(stub, worker_log)
        worker_wait(process)
        log("worker ready: clock starts")
        started, dispatcher_queries = dispatch_until_sent(
            range(first, last + 1), process, args.timeout
        )

        rows = list(
            Message.objects.filter(id__gte=first, id__lte=last).values_list(
                "created_at", "sent_at", "to_phone", "body"
            )
        )
        end = max(sent for _created, sent, _to, _body in rows)
        elapsed = (end - started).total_seconds()
        results["messages_per_second"] = f"{args.n / elapsed:.1f}"
        latencies = sorted(
            (sent - max(created, started)).total_seconds() * 1000
            for created, sent, _to, _body in rows
        )
        p95 = latencies[math.ceil(0.95 * len(latencies)) - 1]
        results["p95_schedule_to_send_ms"] = f"{p95:.1f}"
        worker_queries = int(broker.get(QUERIES_KEY) or 0)
        tasks = int(broker.get(TASKS_KEY) or 0)
        log(f"{tasks} tasks; queries: {worker_queries} worker, {dispatcher_queries} dispatcher")
        queries = (worker_queries + dispatcher_queries) / args.n
        results["queries_per_message"] = f"{queries:.2f}"
        at_provider = Counter((m.to, m.body) for m in stub.messages)
        results["duplicates"] = str(sum(k - 1 for k in at_provider.values()))
        missing = sum(1 for _c, _s, to, body in rows if (str(to), body) not in at_provider)
        if missing:
            raise RuntimeError(f"{missing} messages marked sent never reached the provider")
    except (RuntimeError, subprocess.CalledProcessError) as error:
        failed = True
        log(f"FAILED: {error}")
        worker_log.seek(0)
        log("worker log (last 3000 characters):\n" + worker_log.read()[-3000:])
    finally:
        if process is not None:
            worker_stop(process)
        stub.stop()
        broker.flushdb()
        worker_log.close()
    for name, value in results.items():
        print(f"{name}: {value}")
    return 1 if failed or len(results) < 5 else 0


if __name__ == "__main__":
    sys.exit(main())
