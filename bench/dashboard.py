"""
Dashboard benchmark: the coordinators' dashboard over 90 days, at two sizes of data.

    .venv/bin/python bench/dashboard.py           # 20,000 people / 200,000 handouts; 2,000 / 20,000
    .venv/bin/python bench/dashboard.py --quick   # 2,000 / 20,000; 500 / 5,000 (reviews)
    .venv/bin/python bench/dashboard.py --reseed  # drop the bench databases and seed again

Set-up, not timed: one PostgreSQL database per size (fieldapp_bench_dashboard_<people>,
BENCH_DATABASE_PREFIX to change), created, migrated and seeded on the first run and reused
after. Each holds 3 sites with one distribution a day for 90 days; the handouts, two per
check-in, spread over random people and days; 6 items with sizes, their stock and a few
lots that expire soon; one referral (with its events) per 10 people; one legal
appointment per 20 people; two texts per person over the 90 days; 3 shifts a site a day
for the coming week. Rows are bulk-inserted: the point is to read them.

Timed: GET /dashboard/?start=<today-89>&end=<today> as a coordinator through Django's test
Client, in this process (DEBUG=0, the production middleware and templates): the server's
time, from the request entering Django to the response leaving it, with no network. Two
warm-up requests, then --repeat (15) timed ones.

Printed on stdout, once per size, one `name: value` each:
- dashboard_ms: the median of the timed requests (stderr: min, p90, max);
- dashboard_queries: the queries of one request (CaptureQueriesContext; BEGIN/COMMIT left
  out), the same at every size when the query count does not grow with the data.
Other processes on the machine skew the times: the load average is logged before and after.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "postgres://postgres@127.0.0.1:5432/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
DAYS, SITES, BATCH = 90, 3, 5000
TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK"}


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for reviews")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per size")
    parser.add_argument("--reseed", action="store_true", help="drop the databases, seed again")
    parser.add_argument("--size", type=int, help="one size only: people (handouts: 10 each)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def sizes(args: argparse.Namespace) -> list[tuple[int, int]]:
    if args.size:
        return [(args.size, args.size * 10)]
    if args.quick:
        return [(2000, 20_000), (500, 5000)]
    return [(20_000, 200_000), (2000, 20_000)]


def configure(people: int) -> str:
    """The environment of this process, before Django reads it."""
    url = f"{PREFIX}fieldapp_bench_dashboard_{people}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",
        SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        # One key for every run: the database is reused, and its key canary must open.
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        LOG_LEVEL="WARNING",
    )
    return url


def database_prepare(url: str, reseed: bool) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
    params |= {"user": db["USER"] or "postgres", "password": db["PASSWORD"] or None}
    name = sql.Identifier(db["NAME"])
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if reseed:
            log(f"dropping database {db['NAME']}")
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = "SELECT 1 FROM pg_database WHERE datname = %s"
        if conn.execute(exists, [db["NAME"]]).fetchone() is None:
            log(f"creating database {db['NAME']}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    subprocess.run(migrate, cwd=ROOT, check=True)


def _catalogue() -> list:
    from services.distributions.models import ItemType

    C = ItemType.Category
    spec = [
        ("Sleeping bag", C.BEDDING, []),
        ("Jumper", C.CLOTHING, ["S", "M", "L", "XL"]),
        ("Shoes", C.SHOES, ["40", "41", "42", "43"]),
        ("Tent", C.SHELTER, []),
        ("Hygiene kit", C.HYGIENE, []),
        ("Food pack", C.FOOD, []),
    ]
    return [
        ItemType.objects.get_or_create(name=name, defaults={"category": c, "sizes": s})[0]
        for name, c, s in spec
    ]


def _people(sites: list, n: int) -> list:
    from services.people.codes import code_generate
    from services.people.models import Person

    codes: set[str] = set()
    while len(codes) < n:
        codes |= {code_generate() for _ in range(n - len(codes))}
    people = [
        Person(
            code=code,
            language=random.choice(["ar", "ti", "ps", "fa", "en"]),
            home_site=sites[i % len(sites)],
        )
        for i, code in enumerate(sorted(codes))
    ]
    made = Person.objects.bulk_create(people, batch_size=BATCH)
    _since(Person, DAYS * 2, "created_at")  # registered over the last six months
    return made


def _distributions(rng: random.Random, sites: list, items: list, people: list, handouts: int):
    from django.utils import timezone

    from services.distributions.models import CheckIn, DistributionSession, Handout

    today, tz = timezone.localdate(), timezone.get_current_timezone()
    ten, one = time_of_day(10), time_of_day(13)
    sessions = DistributionSession.objects.bulk_create(
        DistributionSession(
            site=site,
            date=today - timedelta(days=d),
            starts_at=ten,
            ends_at=one,
            status=DistributionSession.Status.CLOSED,
        )
        for site in sites
        for d in range(DAYS)
    )
    when = {s.pk: datetime.combine(s.date, ten, tz) for s in sessions}
    lines = [(item.pk, size) for item in items for size in (item.sizes or [""])]
    for start in range(0, handouts // 2, BATCH):
        count = min(BATCH, handouts // 2 - start)
        checkins = CheckIn.objects.bulk_create(
            CheckIn(
                client_uuid=uuid.uuid4(),
                payload_hash="bench",
                session=rng.choice(sessions),
                person=rng.choice(people),
            )
            for _ in range(count)
        )
        Handout.objects.bulk_create(
            Handout(
                checkin=c,
                person_id=c.person_id,
                item_id=item_id,
                size=size,
                quantity=1,
                given_at=when[c.session_id],
            )
            for c in checkins
            for item_id, size in rng.sample(lines, 2)
        )
    return lines


def _stock(rng: random.Random, sites: list, items: list, lines: list) -> None:
    from django.utils import timezone

    from services.distributions.models import LowStockLevel, StockBalance, StockLot

    today = timezone.localdate()
    StockBalance.objects.bulk_create(
        StockBalance(site=site, item_id=item_id, size=size, quantity=rng.randint(0, 300))
        for site in sites
        for item_id, size in lines
    )
    StockLot.objects.bulk_create(
        StockLot(
            site=site,
            item=item,
            size="",
            received=50,
            left=rng.randint(0, 50),
            expires_on=today + timedelta(days=rng.randint(-2, 30)),
        )
        for site in sites
        for item in items
        if not item.sizes
    )
    LowStockLevel.objects.bulk_create(
        LowStockLevel(site=site, item=item, level=rng.randint(50, 400))
        for site in sites
        for item in items
    )


def _since(model, days: int, field: str) -> None:
    """Spread the rows' auto_now_add times back over `days` days, by id."""
    from django.db.models import DurationField, ExpressionWrapper, F, Value
    from django.db.models.functions import Now

    back = ExpressionWrapper(
        Value(timedelta(hours=7)) * (F("id") % (days * 24 // 7)), output_field=DurationField()
    )
    model.objects.update(**{field: Now() - back})


def _referrals(rng: random.Random, sites: list, people: list, coordinator) -> None:
    from django.utils import timezone

    from services.partners.models import Partner, PartnerService
    from services.referrals.models import ReasonCategory, Referral, ReferralEvent, Status, Urgency

    partner = Partner.objects.create(
        name="Bench clinic", kind=Partner.Kind.values[0], sms_place="Bench clinic"
    )
    service = PartnerService.objects.create(partner=partner, name="GP", area="calais")
    now = timezone.now()
    statuses = [Status.REFERRED, Status.ATTENDED, Status.MISSED, Status.DECLINED, Status.CLOSED]
    referrals = Referral.objects.bulk_create(
        Referral(
            person=person,
            service=service,
            site=rng.choice(sites),
            urgency=rng.choice(Urgency.values),
            reason_category=rng.choice(ReasonCategory.values),
            consent_to_share=True,
            status=(status := rng.choice(statuses)),
            appointment_at=now - timedelta(hours=rng.randint(1, DAYS * 24))
            if status in (Status.ATTENDED, Status.MISSED)
            else None,
            created_by=coordinator,
        )
        for person in rng.sample(people, len(people) // 10)
    )
    _since(Referral, DAYS, "created_at")
    ReferralEvent.objects.bulk_create(
        ReferralEvent(referral=r, status=r.status, by=coordinator)
        for r in referrals
        if r.status != Status.REFERRED
    )
    ReferralEvent.objects.update(at=timezone.now())


def _appointments(rng: random.Random, sites: list, people: list, advisor) -> None:
    from django.utils import timezone

    from services.legal.models import Appointment
    from services.scheduling.models import Booking

    now = timezone.now()
    chosen = rng.sample(people, len(people) // 20)
    bookings = Booking.objects.bulk_create(Booking() for _ in chosen)
    rows = []
    for person, booking in zip(chosen, bookings, strict=True):
        starts = now - timedelta(hours=rng.randint(1, DAYS * 24))
        rows.append(
            Appointment(
                booking=booking,
                person=person,
                advisor=advisor,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
                site=rng.choice(sites),
                language="ar",
                case_type=Appointment.CaseType.DUBLIN,
                status=rng.choice(Appointment.Status.values),
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=BATCH)


def _texts(rng: random.Random, people: list) -> None:
    from django.utils import timezone

    from services.messaging.models import Message

    S = Message.Status
    now = timezone.now()
    outcomes = [S.DELIVERED] * 8 + [S.SENT, S.FAILED, S.UNDELIVERED, S.CANCELLED]
    codes = ["30003", "30005", "30006", "21610", "30008", "timeout"]
    count = 0
    for start in range(0, len(people) * 2, BATCH):
        rows = []
        for _ in range(min(BATCH, len(people) * 2 - start)):
            person, status = rng.choice(people), rng.choice(outcomes)
            count += 1
            rows.append(
                Message(
                    idempotency_key=f"bench:{count}",
                    kind="distribution_announcement",
                    person=person,
                    channel="sms",
                    language=person.language,
                    segments=rng.choice([1, 2, 3]),
                    send_at=now - timedelta(minutes=rng.randint(1, DAYS * 24 * 60)),
                    status=status,
                    error_code=rng.choice(codes) if status in (S.FAILED, S.UNDELIVERED) else "",
                )
            )
        Message.objects.bulk_create(rows)


def _shifts(rng: random.Random, sites: list, coordinator) -> None:
    from django.utils import timezone

    from services.shifts.models import Shift

    today, tz = timezone.localdate(), timezone.get_current_timezone()
    rows = []
    for site in sites:
        for day in range(7):
            for hour in (9, 13, 17):
                starts = datetime.combine(today + timedelta(days=day), time_of_day(hour), tz)
                needed = rng.randint(2, 8)
                rows.append(
                    Shift(
                        site=site,
                        task=Shift.Task.values[0],
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=3),
                        people_needed=needed,
                        signed_up=rng.randint(0, needed),
                        created_by=coordinator,
                    )
                )
    Shift.objects.bulk_create(rows)


def seed(people: int, handouts: int):
    """The bench data, made once per database; returns the coordinator."""
    from django.db import transaction

    from services.accounts.actions import user_create
    from services.accounts.models import User
    from services.accounts.roles import Role
    from services.sites.models import Site

    name = f"bench-coordinator-{people}"
    if (coordinator := User.objects.filter(username=name).first()) is not None:
        log(f"reusing the seed of {people} people")
        return coordinator
    log(f"seeding {people} people and {handouts} handouts over {DAYS} days")
    started, rng = time.monotonic(), random.Random(people)
    random.seed(people)
    with transaction.atomic():
        sites = [Site.objects.create(name=f"Bench site {n}", area="Calais") for n in range(SITES)]
        coordinator = user_create(
            username=name, password=uuid.uuid4().hex, role=Role.COORDINATOR, site=sites[0]
        )
        advisor = user_create(
            username=f"bench-advisor-{people}",
            password=uuid.uuid4().hex,
            role=Role.LEGAL,
            site=sites[0],
        )
        items = _catalogue()
        everyone = _people(sites, people)
        lines = _distributions(rng, sites, items, everyone, handouts)
        _stock(rng, sites, items, lines)
        _referrals(rng, sites, everyone, coordinator)
        _appointments(rng, sites, everyone, advisor)
        _texts(rng, everyone)
        _shifts(rng, sites, coordinator)
    subprocess.run(
        [sys.executable, "manage.py", "dbshell", "--", "-c", "ANALYZE"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    log(f"seeded in {time.monotonic() - started:.0f} s")
    return coordinator


def measure(coordinator, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(coordinator)
    # Signed in with a confirmed second factor, as a coordinator is: not what is measured.
    device, _created = TOTPDevice.objects.get_or_create(
        user=coordinator, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    today = timezone.localdate()
    url = f"/dashboard/?start={today - timedelta(days=DAYS - 1)}&end={today}"
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = [q for q in captured if q["sql"] not in TRANSACTION]
    times.sort()
    log(f"ms min {times[0]:.0f} p90 {times[int(len(times) * 0.9) - 1]:.0f} max {times[-1]:.0f}")
    return statistics.median(times), len(queries)


def child(args: argparse.Namespace) -> None:
    """One size, in a process of its own: Django reads its database once per process."""
    people, handouts = sizes(args)[0]
    url = configure(people)
    database_prepare(url, args.reseed)
    import django

    django.setup()
    coordinator = seed(people, handouts)
    median, queries = measure(coordinator, args.repeat)
    print(f"size: {people} people, {handouts} handouts, {DAYS} days", flush=True)
    print(f"dashboard_ms: {median:.0f}", flush=True)
    print(f"dashboard_queries: {queries}", flush=True)


def main() -> None:
    args = parse_args()
    if args.child:
        child(args)
        return
    log(f"load average before: {os.getloadavg()}")
    for people, _handouts in sizes(args):
        command = [
            sys.executable,
            __file__,
            "--child",
            "--size",
            str(people),
            "--repeat",
            str(args.repeat),
        ]
        if args.reseed:
            command.append("--reseed")
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode:
            sys.exit(result.returncode)
    log(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
