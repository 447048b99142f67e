"""
Coverage board benchmark: the board page's SQL queries at two data sizes (they must be
equal), and how long the page takes to render server-side with a month of shifts.

    .venv/bin/python bench/board.py            # a month of shifts at 3 sites, 150 volunteers
    .venv/bin/python bench/board.py --quick    # a week at 3 sites, 40 volunteers

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The database
`fieldapp_bench_board` (BENCH_DATABASE_URL) is created and migrated if missing. Everything
the bench writes is rolled back at the end, so runs never see each other's data.

What runs, in this process with DEBUG=0 (templates cached as in production):
- small: one site, a week of 5 distributions with one volunteer each;
- large: 3 sites, 28 days (7 with --quick) from next Monday, three shifts a day each
  (a distribution 14:15-16:45 needing a driver, a first-aider and Tigrinya, Arabic and
  Pashto speakers; a warehouse and a kitchen shift), 150 volunteers (40) who speak
  languages at every level and bring skills, signed up at random through the real
  actions until each shift is part filled.
The page is /shifts/board/?site=...&week=... for a coordinator (second factor passed),
through Django's test Client: middleware, session, rules, selectors and the template,
no HTTP. Queries are counted in CaptureQueriesContext on the second request (the first
warms Django's caches); the time is the median (and p95) of --runs requests of the
large site's busiest week.

Printed last on stdout, one `name: value` each: board_queries_small,
board_queries_large, board_ms, board_p95_ms. Exits non-zero when the two query counts
differ. The load average is logged on stderr: other processes skew the time.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import time as time_of_day
from datetime import timedelta
from pathlib import Path

from collected import static_collect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/fieldapp_bench_board"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
LANGUAGES = ["ti", "ar", "ps", "fa", "ckb", "am", "ur", "om", "fr", "en"]
LEVELS = ["basic", "working", "fluent", "native"]
SKILLS = ["driver", "first_aid", "warehouse", "kitchen", "interpreter", "team_lead"]


class Rollback(Exception):
    """Raised at the end: the bench's writes are undone."""


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a week, 40 volunteers, 10 runs")
    parser.add_argument("--runs", type=int, help="timed requests; default 40 (10 with --quick)")
    args = parser.parse_args()
    args.days = 7 if args.quick else 28
    args.volunteers = 40 if args.quick else 150
    args.runs = args.runs or (10 if args.quick else 40)
    return args


def configure() -> None:
    """The environment of this process, before Django reads it."""

    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",
        SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        # One key for every run: the database is reused, and its key canary must open.
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL="",
        LOG_LEVEL="WARNING",
    )


def database_prepare(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
    params |= {"user": db["USER"] or "postgres", "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = "SELECT 1 FROM pg_database WHERE datname = %s"
        if conn.execute(exists, [db["NAME"]]).fetchone() is None:
            log(f"creating database {db['NAME']}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    subprocess.run(migrate, cwd=ROOT, check=True, env=os.environ)


def volunteers(n: int, sites: list, rng: random.Random, first, days: int) -> list:
    from services.accounts.actions import user_create
    from services.accounts.models import Skill, SpokenLanguage
    from services.accounts.roles import Role

    made = []
    for k in range(n):
        user = user_create(
            username=f"bench-{uuid.uuid4().hex[:8]}-{k}",
            password=uuid.uuid4().hex,
            role=Role.VOLUNTEER,
            site=sites[0],
            sites=sites,
        )
        user.arrives_on, user.leaves_on = first, first + timedelta(days=days)
        user.save(update_fields=["arrives_on", "leaves_on"])
        SpokenLanguage.objects.bulk_create(
            SpokenLanguage(user=user, language=code, level=rng.choice(LEVELS))
            for code in rng.sample(LANGUAGES, rng.randint(1, 3))
        )
        Skill.objects.bulk_create(
            Skill(user=user, kind=kind) for kind in rng.sample(SKILLS, rng.randint(0, 2))
        )
        made.append(user)
    return made


def plans(day) -> list:
    from services.shifts.actions.plan import ShiftPlan

    return [
        ShiftPlan("warehouse", day, time_of_day(9), time_of_day(12), 3, {"warehouse": 1}),
        ShiftPlan(
            "distribution",
            day,
            time_of_day(14, 15),
            time_of_day(16, 45),
            5,
            {"driver": 1, "first_aid": 1},
            {"ti": 1, "ar": 1, "ps": 1},
        ),
        ShiftPlan("kitchen", day, time_of_day(17), time_of_day(19), 2, {"kitchen": 1}),
    ]


def seed(coordinator, sites: list, people: list, first, days: int, rng: random.Random) -> int:
    """Shifts at each site for `days` days, part filled at random. Returns the sign-ups."""
    from fieldapp.errors import DomainError
    from services.shifts.actions.shifts import shift_create
    from services.shifts.actions.signups import signup_create

    signups = 0
    for offset in range(days):
        for site in sites:
            for plan in plans(first + timedelta(days=offset)):
                shift = shift_create(actor=coordinator, site=site, plan=plan)
                wanted = min(len(people), rng.randint(0, plan.people_needed))
                for user in rng.sample(people, wanted):
                    try:
                        signup_create(actor=user, shift=shift)
                        signups += 1
                    except DomainError:
                        continue  # on another shift then
    return signups


def board_client(coordinator):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(coordinator)
    device = TOTPDevice.objects.create(user=coordinator, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return len(captured)


def timed(client, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return out


def measure(args: argparse.Namespace) -> dict[str, float]:
    from django.utils import timezone

    from services.accounts.actions import user_create
    from services.accounts.roles import Role
    from services.shifts.actions.shifts import shift_create
    from services.shifts.actions.signups import signup_create
    from services.shifts.board import week_start
    from services.sites.models import Site

    rng, tag = random.Random(7), uuid.uuid4().hex[:6]
    first = week_start(timezone.localdate()) + timedelta(days=7)
    coordinator = user_create(
        username=f"bench-coordinator-{tag}", password=uuid.uuid4().hex, role=Role.COORDINATOR
    )
    client = board_client(coordinator)
    small = Site.objects.create(name=f"Bench board small {tag}")
    for offset, user in enumerate(volunteers(5, [small], rng, first, 7)):
        shift = shift_create(
            actor=coordinator, site=small, plan=plans(first + timedelta(days=offset))[1]
        )
        signup_create(actor=user, shift=shift)
    small_url = f"/shifts/board/?site={small.pk}&week={first.isoformat()}"
    figures = {"board_queries_small": float(queries(client, small_url))}

    started = time.monotonic()
    sites = [Site.objects.create(name=f"Bench board {n} {tag}") for n in range(3)]
    people = volunteers(args.volunteers, sites, rng, first, args.days)
    signups = seed(coordinator, sites, people, first, args.days, rng)
    log(
        f"seeded {args.days * 9} shifts at 3 sites, {args.volunteers} volunteers, "
        f"{signups} sign-ups in {time.monotonic() - started:.1f} s"
    )
    url = f"/shifts/board/?site={sites[0].pk}&week={first.isoformat()}"
    figures["board_queries_large"] = float(queries(client, url))
    times = sorted(timed(client, url, args.runs))
    figures["board_ms"] = statistics.median(times)
    figures["board_p95_ms"] = times[min(len(times) - 1, int(len(times) * 0.95))]
    return figures


def main() -> int:
    args = parse_args()
    configure()
    database_prepare(DATABASE_URL)
    static_collect()  # pages with DEBUG=0 name static files through the manifest
    import django

    django.setup()
    from django.db import transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()
    log(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    figures: dict[str, float] = {}
    try:
        with transaction.atomic():
            figures = measure(args)
            raise Rollback
    except Rollback:
        pass
    log(f"load average after the run: {os.getloadavg()[0]:.1f}")
    for name in ("board_queries_small", "board_queries_large"):
        print(f"{name}: {int(figures[name])}")
    print(f"board_ms: {figures['board_ms']:.1f}")
    print(f"board_p95_ms: {figures['board_p95_ms']:.1f}")
    return 0 if figures["board_queries_small"] == figures["board_queries_large"] else 1


if __name__ == "__main__":
    sys.exit(main())
