"""
Faults: what is lost or doubled when a part of the stack fails under work (0 and 0 expected).

    .venv/bin/python bench/faults.py                  # every fault
    .venv/bin/python bench/faults.py --only postgres  # one (names below)

Everything runs on servers of this run's own, so that stopping or flushing them touches
nobody else (bench/stack.py): a PostgreSQL cluster made with initdb in a temporary folder
on another port, a redis-server on another port, the Twilio stub of tests/messaging in
this process, gunicorn (deploy/gunicorn.conf.py) behind nginx, Celery workers as
deploy/systemd runs them (bench/dispatch.py starts them).

The faults (`--only` names):
- worker_kill: 300 SMS due; when a third are sent, one of the two Celery workers is
  SIGKILLed with its pool, and a new one started as systemd would.
- redis_restart: the same; when a third are sent Redis is flushed (FLUSHALL), stopped and
  started again empty, with the queued tasks gone.
- twilio_500, twilio_429, twilio_slow, twilio_hang: 40 SMS while the provider answers 500
  to the first 3 sends, 429 (too many requests) to the first 3, takes 1.5 s over each, or
  records the first 3 and then hangs past the send timeout without answering;
  provider_posts is how many sends it received (40 plus the refused ones).
  For each of these: lost = rows recorded sent that the provider never received, plus
  rows failed or still unsent at the end; doubled = texts the provider received more than
  once; unknown (waiting for a coordinator, by design) is printed too.
- postgres: check-ins posted through nginx by 4 phones (each re-sends what was not
  acknowledged, as the app does), a signed-in page read twice a second; PostgreSQL is
  stopped for 10 s and started again, gunicorn is not restarted. Printed: the answers
  while it was down (503 with the "Back in a minute" page expected, never a 500), the
  seconds from its start to the first check-in served, check-ins lost (acknowledged, not
  in the database) and doubled (one UUID recorded twice, or more handout lines than
  items).
- disk_full: fieldapp takes no uploads, so there is no upload folder to fill; the disk
  that fills is the database's. The check-in tables are moved to a tablespace on a 16 MB
  tmpfs, which a filler table then fills: check-ins are posted until refused, the filler
  is dropped, and the refused ones re-sent. Needs root (mount); printed: the answers while
  full, check-ins lost and doubled.

Printed last, `name: value`: fault_<name>_lost, fault_<name>_doubled, and the figures
above. Exits 1 when anything is lost or doubled, or a fault could not be run.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack import Postgres, Redis, log  # noqa: E402 - after the path is set

FAULTS = [
    "worker_kill",
    "redis_restart",
    "twilio_500",
    "twilio_429",
    "twilio_slow",
    "twilio_hang",
    "postgres",
    "disk_full",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=FAULTS, action="append", help="run these faults only")
    return parser.parse_args()


def configure(pg: Postgres, redis: Redis) -> None:
    from bench import dispatch

    settings = argparse.Namespace(
        database_url=pg.url, redis_url=redis.url, batch=20, stale_after=5.0
    )
    dispatch.configure(settings)
    os.environ.update(ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0", GUNICORN_WORKERS="2")
    # A refused send is tried again after 2 s, 4 s... instead of a minute: the same backoff,
    # short enough that a run waits for it.
    os.environ["SMS_RETRY_BASE_SECONDS"] = "2"


def main() -> int:
    args = parse_args()
    chosen = args.only or FAULTS
    pg, redis = Postgres(), Redis()
    log(f"PostgreSQL on port {pg.port} ({pg.data}), Redis on port {redis.port}")
    results: dict[str, str] = {}
    failed = []
    try:
        configure(pg, redis)
        from bench import dispatch

        dispatch.database_prepare(pg.url)
        import django

        django.setup()
        from bench import faults_sms, faults_web

        for name in chosen:
            log(f"fault {name}; load average {os.getloadavg()[0]:.2f}")
            try:
                if name in faults_sms.FAULTS:
                    found = faults_sms.FAULTS[name](redis)
                else:
                    found = faults_web.FAULTS[name](pg)
            except (RuntimeError, OSError) as error:
                log(f"FAILED {name}: {error!r}")
                failed.append(name)
                continue
            log(f"{name}: {found}")
            results |= {f"fault_{name}_{key}": str(value) for key, value in found.items()}
    finally:
        redis.stop()
        pg.destroy()
    for name, value in results.items():
        print(f"{name}: {value}")
    bad = [n for n, v in results.items() if n.endswith(("_lost", "_doubled")) and v != "0"]
    return 1 if bad or failed else 0


if __name__ == "__main__":
    sys.exit(main())
