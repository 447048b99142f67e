"""
Dispatch benchmark: N SMS due now, from the outbox to the provider through real Celery
workers on Redis and PostgreSQL, the production stack.

    .venv/bin/python bench/dispatch.py            # N = 10,000
    .venv/bin/python bench/dispatch.py --quick    # N = 2,000, for CI and reviews
    .venv/bin/python bench/dispatch.py --provider-latency 1.5   # N = 60, a slow provider

1. Not timed: create and migrate the bench database, flush its Redis database, replace
   the last run's people by N opted-in ones (distinct mobiles, nine languages in turn).
2. Timed (bulk_schedule_seconds): messages_schedule_bulk() of one reminder each, due
   now, each text unique (its own place). VACUUM ANALYZE before and after.
3. Start `celery -A fieldapp worker --concurrency=2` (two pool processes, as
   deploy/systemd does; --workers of them, on the same Redis and queue) with
   SMS_BACKEND=twilio and the Twilio stub of
   tests/messaging/twilio_stub.py, served from this process, which takes
   --provider-latency seconds over each message; wait for the worker's ping answer.
   With a latency, stale claims and sends are recovered after --stale-after seconds
   (5 by default, shorter than a batch takes): recovery runs while workers still hold
   their batches, which is how a slow provider once doubled messages.
4. The clock starts. This process plays beat, messages_dispatch() every TICK seconds
   with SMS_MAX_PER_SECOND=100,000 so the provider rate limit never binds, and polls
   the database until all N rows are sent (or wait for a coordinator, "unknown").

Printed last on stdout:
- dispatch_rate: N / (last sent_at - clock start), in messages per second.
- p95_schedule_to_send_ms: 95th percentile of sent_at - max(created_at, clock start).
  Every row exists before the clock starts, so this is the time from "N due at once,
  workers ready" to the provider accepting a message: the burst's queueing latency.
- queries_per_message: SQL statements of the worker's tasks (bench/celery_bench.py
  counts them) and of the dispatcher runs, divided by N.
- duplicates: texts the provider received beyond one per (number, body).
- lost: rows recorded as sent that the provider never received.
- unknown: rows whose outcome is unknown, waiting for a coordinator (not an error).
Exits 1 on a timeout, a dead worker, a failed, lost or duplicated message.
"""

import argparse
import contextlib
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
from urllib.parse import urlsplit

from django.db import connection  # settings are read on first use, after configure()

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TICK = 0.2  # seconds between dispatcher runs
LANGUAGES = ["en", "fr", "ar", "ps", "fa", "ckb", "ti", "am", "ur"]
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N=2,000 (CI, reviews)")
    parser.add_argument("--n", type=int, help="number of messages (default 10,000; 60 if slow)")
    parser.add_argument(
        "--workers", type=int, default=1, help="Celery workers (of 2 processes each) on one Redis"
    )
    parser.add_argument("--batch", type=int, default=100, help="SMS_SEND_BATCH (default 100)")
    parser.add_argument(
        "--provider-latency", type=float, default=0.0, help="seconds the stub takes per message"
    )
    parser.add_argument(
        "--stale-after",
        type=float,
        help="SMS_CLAIM/SENDING_TIMEOUT_SECONDS (default 120; 5 with a provider latency)",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for sends")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1/fieldapp_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="is flushed")
    args = parser.parse_args()
    slow = args.provider_latency > 0
    args.n = args.n or (2000 if args.quick else 60 if slow else 10000)
    args.stale_after = args.stale_after or (5.0 if slow else 120.0)
    return args


def configure(args: argparse.Namespace) -> None:
    """The environment of this process and of the worker, set before Django reads it."""

    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",  # as in production: no query log kept in memory
        SECRET_KEY=secrets.token_urlsafe(50),
        # One key for every run: the database is reused, and its key canary must open.
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CELERY_QUEUE=f"bench-{uuid.uuid4().hex[:8]}",
        LOG_LEVEL="WARNING",  # INFO would log a line per SMS
        SMS_BACKEND="twilio",
        SMS_MAX_PER_SECOND="100000",
        SMS_DISPATCH_INTERVAL_SECONDS=str(TICK),
        SMS_SEND_BATCH=str(args.batch),
        SMS_CLAIM_TIMEOUT_SECONDS=str(args.stale_after),
        SMS_SENDING_TIMEOUT_SECONDS=str(args.stale_after),
        # A send must be able to finish well before recovery may look it up.
        SMS_HTTP_TIMEOUT=str(min(10.0, args.stale_after / 2)),
        SMS_QUIET_HOURS_START="0",
        SMS_QUIET_HOURS_END="0",
        SMS_PUBLIC_BASE_URL="",
    )


def database_prepare(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    command = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    subprocess.run(command, cwd=ROOT, check=True)


def person_code(n: int) -> str:
    digits = "".join(CODE_ALPHABET[(n // 32**i) % 32] for i in range(4, -1, -1))
    return f"Z{digits[:2]}-{digits[2:]}"  # Z and n in base 32: unique, a valid card code


def vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE messaging_message, people_person")


def messages_schedule(n: int) -> tuple[float, int]:
    """A fresh site's worth of people and one reminder each; returns (seconds, first id)."""
    from services.messaging.actions.schedule import ScheduleItem, messages_schedule_bulk
    from services.messaging.models import Message
    from services.people.models import Person
    from services.sites.models import Site

    site, _created = Site.objects.get_or_create(name="Bench dispatch")
    Message.objects.filter(person__home_site=site).delete()
    Person.objects.filter(home_site=site).delete()
    people = Person.objects.bulk_create(
        Person(
            code=person_code(i),
            phone=f"+3361{i:07d}",
            language=LANGUAGES[i % len(LANGUAGES)],
            sms_consent=True,
            home_site=site,
        )
        for i in range(n)
    )
    vacuum()  # autovacuum may be off (it is on the dev machine): no dead rows from last run
    context = {"date": "28/11", "time": "15:00"}
    items = [
        ScheduleItem(
            f"bench-{i}", "appointment_reminder", person, context={**context, "place": f"P{i}"}
        )
        for i, person in enumerate(people)
    ]
    start = time.perf_counter()
    written = messages_schedule_bulk(items=items)
    seconds = time.perf_counter() - start
    ids = list(Message.objects.filter(person__home_site=site).values_list("id", flat=True))
    if written != n or len(ids) != n or max(ids) - min(ids) + 1 != n:
        raise RuntimeError(f"scheduled {written} messages, {len(ids)} rows, not {n} in a row")
    return seconds, min(ids)


def worker_start(stub, log_file, index: int = 0) -> subprocess.Popen:
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
    command += ["--without-mingle", "-n", f"{os.environ['CELERY_QUEUE']}-{index}@%h"]
    out = {"stdout": log_file, "stderr": subprocess.STDOUT}
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **out)


def worker_wait(processes: list[subprocess.Popen], timeout: float = 60) -> None:
    """Until every worker answers ping."""
    from fieldapp.celery import app

    name = os.environ["CELERY_QUEUE"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited with code {process.returncode}")
        answers = [reply for answer in app.control.ping(timeout=0.5) for reply in answer]
        if sum(name in reply for reply in answers) >= len(processes):
            return
    raise RuntimeError(f"the worker did not answer ping within {timeout:.0f} s")


def worker_stop(process: subprocess.Popen) -> None:
    """SIGTERM to its process group, then SIGKILL to whatever is left of it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)


def dispatch_until_sent(ids: range, processes, timeout: float) -> tuple[datetime, int]:
    """
    Play beat until every row is sent or waits for a coordinator; returns the clock
    start and the queries run.
    """
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
    next_tick, next_log = start, start
    while True:
        if time.monotonic() >= next_tick:
            next_tick += TICK
            with connection.execute_wrapper(count):
                messages_dispatch()
        by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
        done = (Message.Status.SENT, Message.Status.UNKNOWN)
        waiting = {s: k for s, k in by_status.items() if s not in done}
        elapsed = time.monotonic() - start
        if time.monotonic() >= next_log or not waiting:
            next_log += 1
            log(f"{elapsed:5.1f} s: {by_status.get('sent', 0)}/{len(ids)} sent, {waiting}")
        if not waiting:
            return started, queries
        if {Message.Status.FAILED, Message.Status.CANCELLED} & set(waiting):
            raise RuntimeError(f"messages failed or were cancelled: {waiting}")
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("a worker exited")
        if elapsed > timeout:
            raise RuntimeError(f"not all sent within {timeout:.0f} s: {waiting}")
        time.sleep(max(0.0, min(0.2, next_tick - time.monotonic())))


def main() -> int:
    args = parse_args()
    configure(args)
    log(
        f"N={args.n}, SMS_SEND_BATCH={args.batch}, provider latency {args.provider_latency} s, "
        f"stale after {args.stale_after} s, queue {os.environ['CELERY_QUEUE']}"
    )
    database_prepare(args.database_url)
    import django

    django.setup()
    import redis

    from bench.celery_bench import QUERIES_KEY, TASKS_KEY
    from services.messaging.models import Message
    from tests.messaging import twilio_stub

    broker = redis.Redis.from_url(args.redis_url)
    broker.flushdb()
    stub = twilio_stub.TwilioStub(latency=args.provider_latency)
    worker_log = tempfile.TemporaryFile("w+")
    processes: list[subprocess.Popen] = []
    results, failed = {}, False
    try:
        seconds, first = messages_schedule(args.n)
        results["bulk_schedule_seconds"] = f"{seconds:.2f}"
        log(f"scheduled {args.n} in {seconds:.2f} s; VACUUM ANALYZE; starting the worker")
        vacuum()
        processes = [worker_start(stub, worker_log, i) for i in range(args.workers)]
        worker_wait(processes)
        log(f"worker ready, clock starts; load average {os.getloadavg()[0]:.2f}")
        ids = range(first, first + args.n)
        started, dispatcher_queries = dispatch_until_sent(ids, processes, args.timeout)
        for process in processes:  # its last task may still be adding its query count
            worker_stop(process)
        outbox = Message.objects.filter(id__gte=ids.start, id__lt=ids.stop)
        unknown = outbox.filter(status=Message.Status.UNKNOWN).count()
        rows = list(
            outbox.filter(status=Message.Status.SENT).values_list(
                "created_at", "sent_at", "to_phone", "body"
            )
        )
        if not rows:
            raise RuntimeError(f"none sent, {unknown} of unknown outcome")
        elapsed = (max(row[1] for row in rows) - started).total_seconds()
        results["dispatch_rate"] = f"{args.n / elapsed:.1f}"
        latencies = sorted((sent - max(created, started)) for created, sent, *_ in rows)
        p95 = latencies[math.ceil(0.95 * len(latencies)) - 1].total_seconds() * 1000
        results["p95_schedule_to_send_ms"] = f"{p95:.1f}"
        worker_queries = int(broker.get(QUERIES_KEY) or 0)
        tasks = int(broker.get(TASKS_KEY) or 0)
        log(f"{tasks} tasks; SQL: {worker_queries} in them, {dispatcher_queries} dispatching")
        results["queries_per_message"] = f"{(worker_queries + dispatcher_queries) / args.n:.2f}"
        at_provider = Counter((m.to, m.body) for m in stub.messages)
        duplicates = sum(k - 1 for k in at_provider.values())
        results["duplicates"] = str(duplicates)
        lost = sum(1 for *_, to, body in rows if (str(to), body) not in at_provider)
        results["lost"] = str(lost)
        results["unknown"] = str(unknown)
        if lost or duplicates:
            raise RuntimeError(f"{lost} sent but not at the provider, {duplicates} doubled")
    except (RuntimeError, subprocess.CalledProcessError) as error:
        failed = True
        log(f"FAILED: {error}")
        worker_log.seek(0)
        log("worker output (end):\n" + worker_log.read()[-3000:])
    finally:
        for process in processes:
            worker_stop(process)
        stub.stop()
        broker.flushdb()
        worker_log.close()
    for name, value in results.items():
        print(f"{name}: {value}")
    return 1 if failed or len(results) < 7 else 0


if __name__ == "__main__":
    sys.exit(main())
