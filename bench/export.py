"""
Export benchmark: does an export's memory grow with its rows?

    .venv/bin/python bench/export.py            # 20,000 and 200,000 handout rows
    .venv/bin/python bench/export.py --quick    # 2,000 and 20,000 (reviews)

1. Not timed: create and migrate the bench database (BENCH_DATABASE_URL, default
   fieldapp_bench_export on 127.0.0.1), and seed it once (reused after): one camp, 20,000
   people, one distribution a day for 200 days with 1,000 handouts each (--quick: 100 a
   day), through bulk inserts. DEBUG=0, so Django keeps no log of the queries.
2. For each size, each format (CSV, XLSX), in a process of its own: the distributions
   export of the first 20 days, then of all 200, run as the export page runs it
   (export_request(), the dataset's rows, csv_lines() or xlsx_file()), the output read
   to the end and thrown away.

Printed last on stdout, for each size and format: `export_format`, `export_rows`,
`export_peak_mb` (the process's peak resident memory while the export ran, VmHWM reset
just before it: Python, psycopg and openpyxl alike, Django's own ~90 MB included),
`export_growth_mb` (that peak less the resident memory just before the export began) and
`export_seconds`. Memory that stays flat from the small size to the large one is the
point: the rows stream from a server-side cursor and the XLSX rows go to a temporary file
as they come. XLSX is built this way by the Celery task, not in a web request.
"""

import argparse
import os
import secrets
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DAYS = 200
SMALL_DAYS = 20
PEOPLE = 20_000
FIRST_DAY = date(2026, 1, 1)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("DAYS", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fieldapp_bench_export"
        ),
    )
    return parser.parse_args()


def configure(args: argparse.Namespace) -> None:
    suffix = "_quick" if args.quick else ""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        DATABASE_URL=args.database_url + suffix,
        LOG_LEVEL="WARNING",
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
    subprocess.run(command, cwd=ROOT, check=True, env=os.environ)


def person_code(n: int) -> str:
    digits = "".join(CODE_ALPHABET[(n // 32**i) % 32] for i in range(4, -1, -1))
    return f"Y{digits[:2]}-{digits[2:]}"


def seed(per_day: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from services.distributions.models import CheckIn, DistributionSession, Handout, ItemType
    from services.people.models import Person
    from services.sites.models import Site

    if Handout.objects.count() == DAYS * per_day:
        return
    log(f"seeding {DAYS * per_day} handouts")
    with transaction.atomic():
        Handout.objects.all().delete()
        CheckIn.objects.all().delete()
        DistributionSession.objects.all().delete()
        Person.objects.all().delete()
        site, _ = Site.objects.get_or_create(name="Bench camp")
        bag, _ = ItemType.objects.get_or_create(name="Sleeping bag", category="bedding")
        people = Person.objects.bulk_create(
            (
                Person(code=person_code(n), name=f"N{n}", language="ar", home_site=site)
                for n in range(PEOPLE)
            ),
            batch_size=5000,
        )
        for day_number in range(DAYS):
            day = FIRST_DAY + timedelta(days=day_number)
            session = DistributionSession.objects.create(
                site=site, date=day, starts_at="10:00", ends_at="16:00", status="closed"
            )
            at = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
                hours=11
            )
            checkins = CheckIn.objects.bulk_create(
                CheckIn(
                    client_uuid=uuid.uuid4(),
                    payload_hash="-",
                    session=session,
                    person=people[(day_number * per_day + n) % PEOPLE],
                )
                for n in range(per_day)
            )
            Handout.objects.bulk_create(
                Handout(checkin=c, person_id=c.person_id, item=bag, quantity=1, given_at=at)
                for c in checkins
            )


def measure(days: int, file_format: str) -> tuple[int, float, float]:
    from services.accounts.models import User
    from services.accounts.roles import Role
    from services.reports.exports.actions import ExportAsked, export_request
    from services.reports.exports.datasets import DATASETS
    from services.reports.exports.writers import csv_lines, xlsx_file

    coordinator = User.objects.filter(groups__name=Role.COORDINATOR).first()
    if coordinator is None:
        from services.accounts.actions import user_create

        coordinator = user_create(
            username="bench-coordinator", password=secrets.token_urlsafe(12), role=Role.COORDINATOR
        )
    asked = ExportAsked(
        dataset="distributions",
        file_format=file_format,
        since=FIRST_DAY,
        until=FIRST_DAY + timedelta(days=days - 1),
        sites=[],
    )
    _peak_reset()
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    export, scope = export_request(actor=coordinator, asked=asked)
    headers, rows = DATASETS["distributions"](scope)
    counted = _Counted(rows)
    if file_format == "csv":
        for _line in csv_lines(headers, counted):
            pass
    else:
        with xlsx_file(headers, counted, "distributions") as out:
            while out.read(65536):
                pass
    seconds = time.perf_counter() - started
    return counted.n, before, seconds


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux gives it in kB)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def _peak_reset() -> None:
    """Start the peak (VmHWM) afresh from the memory resident now."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


class _Counted:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def main() -> None:
    args = parse_args()
    configure(args)
    database_prepare(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.db import transaction

    if args.one:
        with transaction.atomic():  # a server-side cursor lives in a transaction
            rows, before, seconds = measure(int(args.one[0]), args.one[1])
        peak = _status_mb("VmHWM")
        print(
            f"export_rows: {rows}\nexport_peak_mb: {peak:.1f}\n"
            f"export_growth_mb: {peak - before:.1f}\nexport_seconds: {seconds:.1f}"
        )
        return
    seed(100 if args.quick else 1000)
    lines = []
    for days in (SMALL_DAYS, DAYS):
        for file_format in ("csv", "xlsx"):
            command = [sys.executable, __file__, "--one", str(days), file_format]
            if args.quick:
                command.append("--quick")
            command += ["--database-url", args.database_url]
            done = subprocess.run(
                command, check=True, capture_output=True, text=True, env=os.environ
            )
            lines += [f"export_format: {file_format}", *done.stdout.strip().splitlines()]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
