"""
Check-in benchmark: phones posting check-ins to gunicorn on PostgreSQL, as in production.

    .venv/bin/python bench/checkin.py --rate 50           # 20,000 people, 50 check-ins/s, 60 s
    .venv/bin/python bench/checkin.py --rate 50 --quick   # 2,000 people, 10 s, for CI and reviews
    .venv/bin/python bench/checkin.py                     # closed loop: 20 clients back to back

Set-up, not timed: create and migrate the bench database if missing; seed the site
"Bench check-in N": N people, 10 past handouts each (N*5 check-ins of two, in 20 closed
weekly sessions), reused while the counts match (--reseed drops the database). Each run
deletes the previous runs' check-ins (their stock goes back), tops stock up and opens
today's session: water bottle and jumper (M, L, XL), up to 50 each per person.

gunicorn runs deploy/gunicorn.conf.py with DEBUG=0 and --workers (threads: the config's,
or GUNICORN_THREADS). Check-ins are posted as a volunteer with a DRF token, each for the
next person (the entitlement query reads a real history), items in a fixed order.

Open loop (--rate R): check-ins arrive as a Poisson process, R per second on average,
and the floor, GET /api/v1/sites/?page_size=1 with the same token (sign-in, one query,
a page of one site), arrives the same way at --floor-rate (10) per second, for
--duration s after 2 s of warm-up. Arrivals never wait for answers: each is handed to
one of a pool of senders the moment it is due, and its latency runs from that moment
to the end of the answer, so a slow server shows as latency, never as fewer requests.
Closed loop (no --rate): --clients threads post back to back; latency is then mostly
queueing (mean = clients / throughput), kept for comparison with earlier figures.

Printed last on stdout, one `name: value` each:
- p50_ms, p95_ms, p99_ms: latency of the check-ins; errors: check-ins (and floor GETs)
  answered otherwise than 201 (200), and exceptions. A post whose connection closed under
  it is re-sent once with the same UUID, as the phone does, and its 200 counts as a 201;
  stderr gives how many;
- floor_ratio (open loop): median check-in latency / median floor latency, same run,
  same server: the distance from what Django and DRF themselves cost; floor_p50_ms;
- checkins_per_second: 201 answers / measured time;
- queries_per_checkin: pg_stat_statements is not loaded on a stock PostgreSQL, so they
  are counted in this process: 200 check-ins (after one warm-up) through Django's test
  Client with the same settings and token, each in CaptureQueriesContext. The BEGIN and
  COMMIT that Django 6 logs too are left out; stderr: min, max, the last one's SQL.
- lost_checkins: check-ins acknowledged (201, or 200 to a re-send) but not in the
  database; double_handouts: UUIDs recorded twice, or check-ins with more handout lines
  than items posted. Both are read from the database after the timed run;
- checkin_page_gzip_bytes: gzip.compress() of /distributions/<session>/checkin/, signed in
  through /login/. On stderr: that plus the CSS, JS, fonts and images the page loads
  (static files as nginx serves them, from the finders), the assets its scripts load
  later, and any URL on another host.
With --instances N, N gunicorn instances of --workers each run behind one nginx
(bench/stack.py) and every request goes through nginx.
Other processes on the machine skew every figure: the load average is logged.
Exits non-zero when set-up fails.
"""

import argparse
import contextlib
import gzip
import http.client
import itertools
import json
import math
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from collected import static_collect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/fieldapp_bench_checkin"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PASSWORD = "bench-checkin-password-1"  # noqa: S105 - a throwaway bench account
SIZES = ["M", "L", "XL"]
PAST_SESSIONS, HANDOUTS_PER_PERSON, BATCH, STOCK = 20, 10, 5000, 300_000
TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK"}
FLOOR = "/api/v1/sites/?page_size=1"
ACKNOWLEDGED: list[str] = []  # UUIDs of the check-ins answered 201 (or 200 to a re-send)
SENDERS = 64  # open loop: requests in flight at most, far above what 4 workers answer


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 people, 10 s (CI, reviews)")
    parser.add_argument("--people", type=int, help="default 20,000 (2,000 with --quick)")
    parser.add_argument("--duration", type=float, help="seconds; default 60 (10 with --quick)")
    parser.add_argument("--rate", type=float, help="open loop: check-ins per second (Poisson)")
    parser.add_argument("--floor-rate", type=float, default=10.0, help="open loop: floor GETs/s")
    parser.add_argument("--clients", type=int, default=20, help="closed loop: posting threads")
    parser.add_argument(
        "--workers", type=int, default=max(2, os.cpu_count() or 2), help="gunicorn workers"
    )
    parser.add_argument("--reseed", action="store_true", help="drop the database, seed again")
    parser.add_argument(
        "--instances",
        type=int,
        default=0,
        help="gunicorn instances of --workers each behind one nginx (default: one, no nginx)",
    )
    args = parser.parse_args()
    args.people = args.people or (2000 if args.quick else 20000)
    args.duration = args.duration or (10.0 if args.quick else 60.0)
    return args


def configure(args: argparse.Namespace) -> None:
    """The environment of this process and of gunicorn, before Django reads it."""

    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",
        SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        # One key for every run: the database is reused, and its key canary must open.
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS=str(args.workers),
    )


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


def catalogue() -> dict:
    from services.distributions.models import ItemType

    C, get = ItemType.Category, ItemType.objects.get_or_create
    water = get(name="Water bottle", defaults={"category": C.FOOD, "per_session_limit": 50})
    jumper = get(name="Jumper", defaults={"category": C.CLOTHING, "sizes": ["S", *SIZES]})
    bag = get(name="Sleeping bag", defaults={"category": C.BEDDING, "min_interval_days": 30})
    return {"water": water[0], "jumper": jumper[0], "bag": bag[0]}


def seed(n: int, items: dict):
    """The site 'Bench check-in N' with its people and past handouts, made if missing."""
    from django.db import transaction
    from django.utils import timezone

    from services.distributions.models import CheckIn, DistributionSession, Handout
    from services.people.codes import code_generate
    from services.people.models import Person
    from services.sites.models import Site

    closed, name = DistributionSession.Status.CLOSED, f"Bench check-in {n}"
    if (site := Site.objects.filter(name=name).first()) is not None:
        people = Person.objects.filter(home_site=site).count()
        past = Handout.objects.filter(checkin__session__site=site, checkin__session__status=closed)
        if people == n and past.count() == n * HANDOUTS_PER_PERSON:
            log(f"reusing the seed of {name}")
            return site
        raise RuntimeError(f"{name} is incomplete ({people} people): run with --reseed")
    log(f"seeding {n} people and {n * HANDOUTS_PER_PERSON} past handouts")
    started, rng, today = time.monotonic(), random.Random(n), timezone.localdate()
    ten, one, tz = time_of_day(10), time_of_day(13), timezone.get_current_timezone()
    water, jumper, bag = items["water"].pk, items["jumper"].pk, items["bag"].pk
    given = [(water, ""), (jumper, "M"), (jumper, "L"), (bag, "")]
    with transaction.atomic():
        site = Site.objects.create(name=name, area="Calais")
        codes: set[str] = set()
        taken = set(Person.objects.values_list("code", flat=True))
        while len(codes) < n:
            codes |= {code_generate() for _ in range(n - len(codes))} - taken
        people = [Person(code=code, language="ar", home_site=site) for code in sorted(codes)]
        Person.objects.bulk_create(people, batch_size=BATCH)
        sessions = DistributionSession.objects.bulk_create(
            DistributionSession(site=site, date=d, status=closed, starts_at=ten, ends_at=one)
            for d in [today - timedelta(days=7 * k) for k in range(1, PAST_SESSIONS + 1)]
        )
        opening = [(s.pk, datetime.combine(s.date, ten, tz)) for s in sessions]
        total = n * HANDOUTS_PER_PERSON // 2
        for start in range(0, total, BATCH):  # ids, not objects: twice as fast
            rows = [
                (people[j % n].pk, *rng.choice(opening))
                for j in range(start, min(start + BATCH, total))
            ]
            checkins = CheckIn.objects.bulk_create(
                CheckIn(client_uuid=uuid.uuid4(), session_id=s, person_id=p) for p, s, _ in rows
            )
            Handout.objects.bulk_create(
                Handout(checkin_id=c.pk, person_id=p, item_id=i, size=size, quantity=1, given_at=at)
                for c, (p, _, at) in zip(checkins, rows, strict=True)
                for i, size in rng.sample(given, 2)
            )
    log(f"seeded in {time.monotonic() - started:.1f} s")
    return site


def run_prepare(site, items: dict):
    """Clear the previous runs, top stock up, open today's session: (session, token, codes)."""
    from django.db import connection
    from django.db.models import F, Sum
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from services.accounts.actions import user_create, user_set_site
    from services.accounts.models import User
    from services.accounts.roles import Role
    from services.distributions.actions import sessions as actions
    from services.distributions.actions.stock import stock_receive
    from services.distributions.models import CheckIn, DistributionSession, Handout, StockBalance
    from services.distributions.models import StockMovement as Movement
    from services.people.models import Person

    def user(role: Role) -> User:
        found = User.objects.filter(username=f"bench-{role.value}").first()
        return found or user_create(username=f"bench-{role.value}", password=PASSWORD, role=role)

    coordinator, volunteer = user(Role.COORDINATOR), user(Role.VOLUNTEER)
    volunteer.sites.add(site)  # where they may work (User.sites)...
    user_set_site(user=volunteer, site=site)  # ...and work today: check-ins happen there only
    old = DistributionSession.objects.filter(site=site, status=DistributionSession.Status.OPEN)
    moves = Movement.objects.filter(checkin__session__in=old)
    for row in moves.values("item_id", "size").annotate(q=Sum("quantity")).order_by():
        balance = StockBalance.objects.filter(site=site, item_id=row["item_id"], size=row["size"])
        balance.update(quantity=F("quantity") - row["q"])  # the ledger and balances stay equal
    moves.delete()
    Handout.objects.filter(checkin__session__in=old).delete()
    CheckIn.objects.filter(session__in=old).delete()
    old.delete()
    for item, size in [(items["water"], ""), *((items["jumper"], s) for s in SIZES)]:
        balance = StockBalance.objects.filter(site=site, item=item, size=size).first()
        for _ in range(math.ceil((STOCK - (balance.quantity if balance else 0)) / 100_000)):
            stock_receive(actor=coordinator, site=site, item=item, size=size, quantity=100_000)
    offers = [actions.Offer(items["water"], [], 50), actions.Offer(items["jumper"], SIZES, 50)]
    day, start, end = timezone.localdate(), time_of_day(0), time_of_day(23, 59)
    session = actions.session_plan(
        actor=coordinator, site=site, day=day, starts_at=start, ends_at=end, offers=offers
    )
    actions.session_set_status(actor=coordinator, session=session, status="open")
    with connection.cursor() as cursor:  # autovacuum may lag behind the seed and the deletes
        cursor.execute("VACUUM ANALYZE people_person, distributions_checkin, distributions_handout")
    codes = Person.objects.filter(home_site=site).order_by("id").values_list("code", flat=True)
    return session, Token.objects.get_or_create(user=volunteer)[0].key, list(codes)


def server_start(log_file) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base = "http://127.0.0.1:%d" % probe.getsockname()[1]
    command = [str(Path(sys.executable).parent / "gunicorn"), "fieldapp.wsgi"]
    command += ["-c", "deploy/gunicorn.conf.py", "--bind", urlparse(base).netloc]
    out = {"stdout": log_file, "stderr": subprocess.STDOUT}
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return process, base
        time.sleep(0.2)
    server_stop(process)
    raise RuntimeError(f"gunicorn did not answer /healthz (exit code {process.poll()})")


def server_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class Client:
    """
    One HTTP connection to gunicorn, kept open while the server allows (http.client, not
    requests: the load generator shares the 2 cores with the server, and requests costs
    about three times the CPU per post).
    """

    def __init__(self, base: str, token: str) -> None:
        address = urlparse(base)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.resent = 0

    def _once(self, method: str, path: str, body: dict | None) -> tuple[int, bytes]:
        payload = json.dumps(body) if body is not None else None
        self.connection.request(method, path, payload, self.headers)
        answer = self.connection.getresponse()
        return answer.status, answer.read()

    def send(self, method: str, path: str, body: dict | None = None) -> str:
        """'' when answered as expected, else what went wrong."""
        try:
            try:
                status, content = self._once(method, path, body)
            except (ConnectionError, http.client.HTTPException):
                # A worker that reached max_requests closes its connections, and one may
                # close under a request. The phone re-sends with the same UUID: 200 then
                # means the first one was recorded.
                self.resent += 1
                self.connection.close()
                status, content = self._once(method, path, body)
        except (OSError, http.client.HTTPException, ValueError) as error:
            self.connection.close()
            return repr(error)
        if method == "GET":
            return "" if status == 200 else f"{status} {content[:300]!r}"
        recorded = status == 201 or (
            status == 200 and json.loads(content).get("uuid") == (body or {}).get("uuid")
        )
        if recorded:
            ACKNOWLEDGED.append((body or {})["uuid"])
        return "" if recorded else f"{status} {content[:300]!r}"


@dataclass
class Tally:
    """Latencies (ms) of the answers as expected, and the other answers, of one kind."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, problem: str, started: float) -> None:
        if problem:
            self.errors.append(problem)
            if len(self.errors) <= 3:
                log(f"error: {problem[:300]}")
        else:
            self.latencies.append((time.perf_counter() - started) * 1000)


def load(base: str, token: str, body, clients: int, duration: float) -> tuple[Tally, float]:
    """Closed loop: `clients` threads posting back to back for `duration` s."""
    tally, deadline, resent = Tally(), time.monotonic() + duration, []

    def post_until_deadline() -> None:
        client = Client(base, token)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            tally.add(client.send("POST", "/api/v1/checkins/", body()), started)
        resent.append(client.resent)

    threads = [threading.Thread(target=post_until_deadline) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(resent):
        log(f"re-sent after a connection closed by gunicorn (same UUID): {sum(resent)}")
    return tally, time.monotonic() - started


def arrivals(rate: float, duration: float, rng: random.Random) -> list[float]:
    """Moments (s from the start) of a Poisson process of `rate` per second."""
    moments, moment = [], rng.expovariate(rate)
    while moment < duration:
        moments.append(moment)
        moment += rng.expovariate(rate)
    return moments


def open_loop(
    base: str, token: str, body, rates: tuple[float, float], duration: float, seed: int
) -> dict[str, Tally]:
    """
    Check-ins at rates[0] and floor GETs at rates[1] per second, each handed to a free
    sender when due, whatever the server does: a Tally per kind, latency from when due.
    """
    rng = random.Random(seed)
    due = sorted(
        [(moment, "checkin") for moment in arrivals(rates[0], duration, rng)]
        + [(moment, "floor") for moment in arrivals(rates[1], duration, rng)]
    )
    tallies = {"checkin": Tally(), "floor": Tally()}
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    resent: list[int] = []

    def sender() -> None:
        client = Client(base, token)
        while (job := jobs.get()) is not None:
            kind, started, request = job
            tallies[kind].add(client.send(*request), started)
        resent.append(client.resent)

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.05
    for moment, kind in due:
        time.sleep(max(0.0, start + moment - time.perf_counter()))
        request = ("POST", "/api/v1/checkins/", body()) if kind == "checkin" else ("GET", FLOOR)
        jobs.put((kind, start + moment, request))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    if sum(resent):
        log(f"re-sent after a connection closed by gunicorn (same UUID): {sum(resent)}")
    return tallies


def queries_per_checkin(token: str, body, n: int = 200) -> float:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient(headers={"authorization": f"Token {token}"}, HTTP_HOST="127.0.0.1")
    counts = []
    for i in range(n + 1):
        with CaptureQueriesContext(connection) as captured:
            answer = client.post("/api/v1/checkins/", body(), content_type="application/json")
        if answer.status_code != 201:
            raise RuntimeError(f"in-process check-in: {answer.status_code} {answer.content[:300]}")
        statements = [q["sql"] for q in captured if q["sql"] not in TRANSACTION]
        counts += [len(statements)] if i else []  # the first one warms the caches up
    log("statements of the last check-in:\n  " + "\n  ".join(q[:150] for q in statements))
    total = f"with BEGIN and COMMIT: {len(captured)}"
    log(f"queries per check-in over {n}: min {min(counts)}, max {max(counts)}; {total}")
    return sum(counts) / n


class Browser:
    """A signed-in volunteer's browser, for the check-in page and what it loads."""

    def __init__(self, base: str) -> None:
        self.base, self.http = base, requests.Session()

    def fetch(self, url: str, **kwargs) -> requests.Response:
        method = "POST" if "data" in kwargs else "GET"
        answer = self.http.request(method, url, timeout=10, **kwargs)
        for cookie in self.http.cookies:  # Django marks them Secure with DEBUG=0; this is http
            cookie.secure = False
        return answer

    def sign_in(self) -> None:
        form = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', self.fetch(self.url("/login/")).text
        )
        data = {"username": "bench-volunteer", "password": PASSWORD, "next": "/"}
        data["csrfmiddlewaretoken"] = form.group(1) if form else ""
        if self.fetch(self.url("/login/"), data=data, allow_redirects=False).status_code != 302:
            raise RuntimeError("could not sign in through /login/")

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def is_here(self, full: str) -> bool:
        return urlparse(full).netloc == urlparse(self.base).netloc

    def content(self, full: str) -> bytes:
        """A static file as nginx serves it (collected), anything else from Django."""
        from django.conf import settings

        path = urlparse(full).path
        name = path.removeprefix(settings.STATIC_URL)
        static = Path(settings.STATIC_ROOT) / name
        return (
            static.read_bytes() if name != path and static.is_file() else self.fetch(full).content
        )


# Loaded with the page: these tags' URLs, and the url()s and @imports of its CSS. Loaded
# by its scripts when needed (service worker, QR reader): asset paths in any attribute.
TAGS = r"<(?:link|script|img|source|iframe|audio|video)\b[^>]*?\b(?:href|src)=[\"']([^\"']+)"
CSS = r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)"
LATER = r"=[\"']((?:https?:)?/[^\"'\s]+\.(?:js|css|woff2?|ttf|otf|png|svg|webp|json))[\"']"


def loaded_with(browser: Browser, url: str, html: str) -> tuple[set[str], list[str], int]:
    """What the page loads with it: (URLs, those on another host, gzipped bytes)."""
    pending = [urljoin(url, ref) for ref in re.findall(TAGS, html)]
    loaded: set[str] = set()
    foreign: list[str] = []
    total = 0
    while pending:
        if (full := pending.pop()).startswith("data:") or full in loaded:
            continue
        loaded.add(full)
        if not browser.is_here(full):
            foreign.append(full)
            continue
        body = browser.content(full)
        total += len(gzip.compress(body))
        if urlparse(full).path.endswith(".css"):
            text = body.decode(errors="replace")
            pending += [urljoin(full, a or b) for a, b in re.findall(CSS, text)]
    return loaded, foreign, total


def page_sizes(base: str, session_id: int) -> int:
    """Sign in, fetch the check-in page: its gzipped HTML size (the rest on stderr)."""
    browser = Browser(base)
    browser.sign_in()
    url = browser.url(f"/distributions/{session_id}/checkin/")
    page = browser.fetch(url)
    if page.status_code != 200:
        raise RuntimeError(f"{url}: {page.status_code}")
    html = len(gzip.compress(page.content))
    loaded, foreign, assets = loaded_with(browser, url, page.text)
    names = ", ".join(sorted(urlparse(full).path for full in loaded))
    log(f"{url}: HTML {html} B gzipped; with {names}: {html + assets} B (target 60 KB)")
    for full in sorted({urljoin(url, ref) for ref in re.findall(LATER, page.text)} - loaded):
        if not browser.is_here(full):
            foreign.append(full)
            continue
        size = len(gzip.compress(browser.content(full)))
        log(f"  loaded by a script when needed: {full} {size} B gzipped")
    log(f"URLs on another host: {foreign or 'none'}")
    return html


def checkin_body(i: int, session_id: int, items: dict, codes: list[str]) -> dict:
    jumper = {"item": items["jumper"].pk, "size": SIZES[i % len(SIZES)], "quantity": 1}
    return {
        "uuid": str(uuid.uuid4()),
        "session": session_id,
        "person": codes[i % len(codes)],
        "items": [{"item": items["water"].pk, "quantity": 1}, jumper],
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(args: argparse.Namespace, base: str, token: str, body) -> list[tuple[str, str]]:
    """The run itself, warm-up first: the figures, as (name, value) lines."""
    if args.rate:
        rates = (args.rate, args.floor_rate)
        open_loop(base, token, body, rates, 2.0, seed=1)
        log(f"warmed up; {args.rate:g} check-ins/s and {args.floor_rate:g} floor GETs/s")
        tallies = open_loop(base, token, body, rates, args.duration, seed=2)
        checkins, floor, elapsed = tallies["checkin"], tallies["floor"], args.duration
    else:
        load(base, token, body, args.clients, 2.0)
        log(f"warmed up; {args.clients} clients posting for {args.duration:.0f} s")
        (checkins, elapsed), floor = load(base, token, body, args.clients, args.duration), None
    log(f"load average after the run: {os.getloadavg()[0]:.1f}")
    if not checkins.latencies:
        raise RuntimeError(f"no check-in succeeded ({len(checkins.errors)} errors)")
    lines = [(f"p{p}_ms", f"{percentile(checkins.latencies, p):.2f}") for p in (50, 95, 99)]
    lines += [("errors", str(len(checkins.errors) + len(floor.errors if floor else [])))]
    if floor is not None and floor.latencies:
        floor_p50 = percentile(floor.latencies, 50)
        lines += [("floor_p50_ms", f"{floor_p50:.2f}")]
        lines += [("floor_ratio", f"{percentile(checkins.latencies, 50) / floor_p50:.2f}")]
    return [*lines, ("checkins_per_second", f"{len(checkins.latencies) / elapsed:.2f}")]


def handouts_check(session) -> list[tuple[str, str]]:
    """
    What the server holds against what it acknowledged: lost_checkins (acknowledged, not
    in the database) and double_handouts (check-ins recorded twice for one UUID, or more
    handout lines than the two items of a check-in).
    """
    from django.db.models import Count

    from services.distributions.models import CheckIn, Handout

    rows = CheckIn.objects.filter(session=session)
    recorded = {str(u) for u in rows.values_list("client_uuid", flat=True)}
    twice = rows.values("client_uuid").annotate(n=Count("id")).filter(n__gt=1).count()
    per_checkin = Handout.objects.filter(checkin__session=session).values("checkin")
    extra = per_checkin.annotate(n=Count("id")).filter(n__gt=2).count()
    lost = len(set(ACKNOWLEDGED) - recorded)
    log(f"{len(recorded)} check-ins recorded, {len(set(ACKNOWLEDGED))} acknowledged")
    return [("lost_checkins", str(lost)), ("double_handouts", str(twice + extra))]


def servers_start(args: argparse.Namespace, server_log) -> tuple[list, str]:
    """gunicorn alone, or --instances of it behind nginx: (processes to stop, base URL)."""
    if not args.instances:
        process, base = server_start(server_log)
        return [process], base
    from bench.stack import Nginx, gunicorn_start

    started = [gunicorn_start(server_log, args.workers) for _ in range(args.instances)]
    nginx = Nginx([base for _, base in started])
    log(f"nginx {nginx.base} -> {', '.join(base for _, base in started)}")
    return [nginx, *(process for process, _ in started)], nginx.base


def main() -> int:
    args = parse_args()
    configure(args)
    server = f"{args.workers} workers x {os.environ.get('GUNICORN_THREADS', '1')} threads"
    how = f"{args.rate:g}/s open loop" if args.rate else f"{args.clients} clients"
    log(f"{args.people} people, {how} for {args.duration:.0f} s; {server}")
    log(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    server_log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log")  # noqa: SIM115
    processes: list = []
    try:
        database_prepare(DATABASE_URL, args.reseed)
        static_collect()
        import django

        django.setup()
        items = catalogue()
        session, token, codes = run_prepare(seed(args.people, items), items)
        counter = itertools.count()

        def body() -> dict:
            return checkin_body(next(counter), session.pk, items, codes)

        processes, base = servers_start(args, server_log)
        page_bytes = page_sizes(base, session.pk)
        figures = measure(args, base, token, body)
        figures += handouts_check(session)
        figures.append(("queries_per_checkin", f"{queries_per_checkin(token, body):.2f}"))
    except Exception as error:  # noqa: BLE001 - any set-up failure ends the bench
        log(f"FAILED: {error!r}")
        server_log.seek(0)
        log("gunicorn log (last 3000 characters):\n" + server_log.read()[-3000:])
        return 1
    finally:
        for process in processes:
            if isinstance(process, subprocess.Popen):
                server_stop(process)
            else:
                process.stop()
        server_log.close()
    for name, value in [*figures, ("checkin_page_gzip_bytes", str(page_bytes))]:
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
