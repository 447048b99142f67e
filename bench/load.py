"""
Load: 50 simulated volunteers (locust, headless) doing a day's mix for 60 s against the
production stack on this machine: nginx, gunicorn (deploy/gunicorn.conf.py, DEBUG=0),
PostgreSQL and Redis.

    .venv/bin/python bench/load.py                    # 50 people, 60 s, 2,000 in the registry
    .venv/bin/python bench/load.py --users 20 --duration 20

The mix (bench/load_users.py): nine volunteers in ten check people in at a table (5),
search the registry by a card code's first letters (3), open a person's record (3) and
register someone new (1); one in ten is a legal volunteer who asks for free slots and
books one (`book_slots`, then `book`). Each waits 1 to 3 s between actions.

Set-up, not timed, as bench/checkin.py does it (its functions): the database
fieldapp_bench_load (LOAD_DATABASE_URL) is created, migrated and seeded with the site
"Bench check-in N" and its history; today's session is opened, a legal volunteer who
speaks Arabic is free every day from 9:00 to 17:00. People registered during the run
are registered at the site "Bench load registrations", so the seed stays as it was.
Redis is a server of this run's own (bench/stack.py). One gunicorn instance, its workers
as deploy/ sets them, behind nginx.

Printed last, `name: value`: for each action load_<action>_p50_ms, _p95_ms, _p99_ms and
load_<action>_requests; load_errors (answers other than 2xx, and exceptions: the first
ones on stderr); load_requests_per_second. Targets: p95 < 150 ms, 0 errors.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import checkin  # noqa: E402 - after the path is set
from bench.stack import Nginx, Redis, gunicorn_start, log, stop  # noqa: E402

DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fieldapp_bench_load"
)
ACTIONS = ["checkin", "search", "view_person", "register", "book_slots", "book"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--people", type=int, default=2000, help="people in the registry")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    return parser.parse_args()


def legal_volunteer(site) -> str:
    """A legal volunteer at the site who speaks Arabic, free 9:00-17:00 daily: a token."""
    from rest_framework.authtoken.models import Token

    from services.accounts.actions import user_create
    from services.accounts.models import SpokenLanguage, User
    from services.accounts.roles import Role
    from services.scheduling.actions import availability_add
    from services.scheduling.models import SlotHold

    user = User.objects.filter(username="bench-load-legal").first()
    if user is None:
        user = user_create(
            username="bench-load-legal", password=checkin.PASSWORD, role=Role.LEGAL, site=site
        )
        SpokenLanguage.objects.create(user=user, language="ar")
        for weekday in range(7):
            availability_add(
                actor=user,
                role="advisor",
                weekday=weekday,
                start_time=time(9),
                end_time=time(17),
                site=site,
            )
    # Each run starts with the adviser's fortnight free: the holds of earlier runs' bookings
    # are let go (this is the bench's database), or the slots run out after a few runs and
    # no booking is timed.
    SlotHold.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)[0].key


def prepare(people: int) -> dict[str, str]:
    """The seed and today's session: the environment of the simulated people."""
    checkin.database_prepare(DATABASE_URL, reseed=False)
    import django

    django.setup()
    from rest_framework.authtoken.models import Token

    from services.sites.models import Site

    items = checkin.catalogue()
    site = checkin.seed(people, items)
    session, token, codes = checkin.run_prepare(site, items)
    # People registered during the run go to a site of their own, so the seed stays whole.
    newcomers = Site.objects.get_or_create(name="Bench load registrations")[0]
    Token.objects.get(key=token).user.sites.add(newcomers)
    return {
        "LOAD_VOLUNTEER_TOKEN": token,
        "LOAD_LEGAL_TOKEN": legal_volunteer(site),
        "LOAD_SESSION": str(session.pk),
        "LOAD_SITE": str(newcomers.pk),
        "LOAD_ITEMS": f"{items['water'].pk},{items['jumper'].pk}",
        "LOAD_CODES": json.dumps(codes[:500]),
    }


def locust_run(args: argparse.Namespace, base: str, env: dict[str, str], folder: str) -> None:
    command = [str(Path(sys.executable).parent / "locust"), "-f", "bench/load_users.py"]
    command += ["--headless", "--users", str(args.users), "--spawn-rate", str(args.users)]
    command += ["--run-time", f"{args.duration}s", "--host", base, "--only-summary"]
    command += ["--csv", f"{folder}/load", "--stop-timeout", "10", "--loglevel", "WARNING"]
    log(f"{args.users} simulated people for {args.duration} s through {base}")
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=False)


def figures(folder: str, duration: int) -> list[tuple[str, str]]:
    """The name: value lines, from locust's CSV of statistics and its failures."""
    with open(f"{folder}/load_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    lines, errors = [], 0
    for action in ACTIONS:
        row = rows.get(action)
        if row is None:
            lines.append((f"load_{action}_requests", "0"))
            continue
        for p in ("50", "95", "99"):
            lines.append((f"load_{action}_p{p}_ms", row[f"{p}%"]))
        lines.append((f"load_{action}_requests", row["Request Count"]))
        errors += int(row["Failure Count"])
    total = rows.get("Aggregated", {}).get("Request Count", "0")
    with open(f"{folder}/load_failures.csv", newline="") as failures:
        for row in list(csv.DictReader(failures))[:5]:
            log(f"error: {row['Occurrences']} x {row['Name']}: {row['Error'][:300]}")
    lines.append(("load_errors", str(errors)))
    lines.append(("load_requests_per_second", f"{int(total) / duration:.1f}"))
    return lines


def main() -> int:
    args = parse_args()
    redis = Redis()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",
        SECRET_KEY="bench-load-" + os.urandom(24).hex(),
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=redis.url,
        LOG_LEVEL="WARNING",
    )
    server_log = tempfile.NamedTemporaryFile("w+", prefix="bench-load-gunicorn-")  # noqa: SIM115
    gunicorn, nginx = None, None
    try:
        env = prepare(args.people)
        log(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        gunicorn, backend = gunicorn_start(server_log, args.workers)
        nginx = Nginx([backend])
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            locust_run(args, nginx.base, env, folder)
            log(f"load average after: {os.getloadavg()[0]:.2f}")
            lines = figures(folder, args.duration)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        log(f"FAILED: {error!r}")
        server_log.seek(0)
        log("gunicorn log (end):\n" + server_log.read()[-3000:])
        return 1
    finally:
        if nginx is not None:
            nginx.stop()
        stop(gunicorn)
        redis.stop()
        server_log.close()
    for name, value in lines:
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
