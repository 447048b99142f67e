"""
The table as a volunteer feels it: a 360x740 phone on a slow mobile network, checking people in.

    .venv/bin/python bench/field.py              # 8 people checked in, one after another
    .venv/bin/python bench/field.py --people 20

Set-up, not timed: create and migrate the bench database if missing (BENCH_DATABASE_URL,
default fieldapp_bench_field); collect the static files (bench/collected.py); make the site
"Bench field" with a volunteer working there, its stock, --people people, and today's
distribution open (a sleeping bag, shoes in twelve sizes, a jumper, two hygiene kits).
gunicorn runs deploy/gunicorn.conf.py with DEBUG=0 behind nginx, which serves the
collected static files as deploy/nginx/fieldapp.conf does (gzip, "immutable").

Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through Playwright, on emulated
"Regular 3G": 300 ms round trip, 700 kbit/s down, 250 kbit/s up, through the DevTools
protocol's Network.emulateNetworkConditions, on the page and on the service worker (a
second DevTools connection attaches to each worker as it starts). A request from each
must take at least 300 ms, or the bench stops: the figures would be of a fast network.

1. Sign in (not measured), then a new browser context with the same cookies and an empty
   cache opens the check-in screen: `first_load_kb` is every byte received for it until
   the load event (headers included). stderr adds what follows while the phone is idle
   (the service worker, the page it keeps, the QR decoder).
2. With the screen open, for each person: the card code is typed (the camera's reading
   ends the same way: the code in the box, looked up with no tap), and from that moment
   the volunteer taps a sleeping bag, shoes in one size, and Record. `scan_to_recorded_ms`
   is the median time from the code to "Recorded" on screen, on the phone's clock;
   `taps_to_record` the taps in between. The taps are automated, each sent as soon as its
   target is on screen: the time Playwright takes to send one (about 0.2 s on a loaded
   machine) stands for the volunteer's reaction. stderr gives each person's marks: found,
   Record tapped, recorded.

Printed last on stdout, one `name: value` each: taps_to_record, scan_to_recorded_ms,
first_load_kb. Targets: <= 2 taps, <= 1500 ms, <= 60 KB. Exits non-zero when set-up fails.
"""

import argparse
import asyncio
import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checkin import database_prepare, server_start, server_stop  # noqa: E402 - bench/ sibling
from collected import static_collect  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/fieldapp_bench_field"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PASSWORD = "bench-field-password-1"  # noqa: S105 - a throwaway bench account
SITE = "Bench field"
RTT_MS = 300
REGULAR_3G = {
    "offline": False,
    "latency": RTT_MS,
    "downloadThroughput": 700 * 1000 / 8,
    "uploadThroughput": 250 * 1000 / 8,
}
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROBE = """
async () => {
  const started = performance.now();
  await (await fetch('/healthz?probe=' + Math.random(), { cache: 'no-store' })).text();
  return performance.now() - started;
}
"""
# On the phone's clock: the code in the box, the person on screen, Record tapped, "Recorded".
MARKS = """
(code) => {
  const marks = window.benchMarks = {};
  const box = document.getElementById('code');
  box.addEventListener('input', () => { marks.read = performance.now(); }, { once: true });
  document.addEventListener('click', (event) => {
    if (event.target.closest('.record-bar')) marks.record = performance.now();
  }, { capture: true, once: false });
  const seen = new MutationObserver(() => {
    const title = document.querySelector('#found h2');
    if (!marks.found && title && title.textContent.includes(code)) marks.found = performance.now();
    if (document.getElementById('notice').textContent.includes('Recorded: ' + code)) {
      marks.recorded = performance.now();
      seen.disconnect();
    }
  });
  const all = { childList: true, subtree: true, characterData: true };
  seen.observe(document.getElementById('checkin'), all);
}
"""
NGINX = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml;
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{
            alias {static}/;
            expires max;
            add_header Cache-Control "public, immutable";
        }}
        location / {{
            proxy_pass {upstream};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configure() -> None:
    """The environment of this process and of gunicorn, before Django reads it."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="fieldapp.settings",
        DEBUG="0",
        SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        FIELD_ENCRYPTION_KEY="cyszWOkLsRKsUpahfTxw_hnsxKHW7FFzUb1DzCPIpXo=",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="2",
    )


def prepare(people: int) -> tuple[int, list[str], str]:
    """Today's open distribution at the bench site: (its id, card codes, volunteer)."""
    from django.utils import timezone

    from services.accounts.actions import user_create, user_set_site
    from services.accounts.models import User
    from services.accounts.roles import Role
    from services.distributions.actions import sessions as actions
    from services.distributions.actions.stock import stock_receive
    from services.distributions.models import DistributionSession, ItemType, StockBalance
    from services.people.codes import code_generate
    from services.people.models import Person
    from services.sites.models import Site

    site = Site.objects.get_or_create(name=SITE, defaults={"area": "Calais"})[0]

    def user(role: Role) -> User:
        name = f"bench-field-{role.value}"
        found = User.objects.filter(username=name).first()
        return found or user_create(username=name, password=PASSWORD, role=role, site=site)

    coordinator, volunteer = user(Role.COORDINATOR), user(Role.VOLUNTEER)
    user_set_site(user=volunteer, site=site)
    category, get = ItemType.Category, ItemType.objects.get_or_create
    items = [
        get(name="Sleeping bag", defaults={"category": category.BEDDING})[0],
        get(
            name="Shoes",
            defaults={"category": category.SHOES, "sizes": [str(n) for n in range(36, 48)]},
        )[0],
        get(
            name="Jumper",
            defaults={"category": category.CLOTHING, "sizes": ["S", "M", "L", "XL"]},
        )[0],
        get(name="Hygiene kit (men)", defaults={"category": category.HYGIENE, "audience": "men"})[
            0
        ],
        get(
            name="Hygiene kit (women)", defaults={"category": category.HYGIENE, "audience": "women"}
        )[0],
    ]
    for item in items:
        for size in item.sizes or [""]:
            have = StockBalance.objects.filter(site=site, item=item, size=size).first()
            if have is None or have.quantity < 1000:
                stock_receive(actor=coordinator, site=site, item=item, size=size, quantity=1000)
    DistributionSession.objects.filter(site=site, status="open").update(status="closed")
    session = actions.session_plan(
        actor=coordinator,
        site=site,
        day=timezone.localdate(),
        starts_at=datetime.time(0),
        ends_at=datetime.time(23, 59),
        offers=[actions.Offer(item, [], 1) for item in items],
    )
    actions.session_set_status(actor=coordinator, session=session, status="open")
    codes = [
        Person.objects.create(
            code=code_generate(), name=f"Bench {n}", language="ar", home_site=site
        ).code
        for n in range(people)
    ]
    return session.pk, codes, volunteer.username


def nginx_start(folder: Path, static: Path, upstream: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    static.chmod(0o755)  # nginx's workers drop to an unprivileged user; mkdtemp made it 0700
    config = folder / "nginx.conf"
    config.write_text(NGINX.format(dir=folder, port=port, static=static, upstream=upstream))
    command = ["nginx", "-c", str(config), "-p", str(folder), "-e", str(folder / "error.log")]
    process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
    base = f"http://localhost:{port}"
    for _ in range(50):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - our own server
            return process, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not answer")


class WorkerThrottle:
    """
    A second DevTools connection that puts every service worker, as it starts, on the same
    emulated network as the page (Playwright's sessions reach pages, not workers).
    """

    def __init__(self, devtools_port: int) -> None:
        version = f"http://127.0.0.1:{devtools_port}/json/version"
        with urllib.request.urlopen(version, timeout=10) as answer:  # noqa: S310 - local
            self.url = json.load(answer)["webSocketDebuggerUrl"]
        self.ready = threading.Event()
        self.workers: list[str] = []
        threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True).start()
        if not self.ready.wait(10):
            raise RuntimeError("no DevTools connection for the service workers")

    async def _run(self) -> None:
        import aiohttp  # twilio's dependency: a WebSocket client already installed

        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(self.url, max_msg_size=0) as socket_,
        ):
            ids = iter(range(1, 1_000_000))

            async def send(method: str, params: dict, session: str | None = None) -> None:
                message = {"id": next(ids), "method": method, "params": params}
                await socket_.send_str(
                    json.dumps(message | ({"sessionId": session} if session else {}))
                )

            only_workers = [{"type": "service_worker", "exclude": False}]
            await send(
                "Target.setAutoAttach",
                {
                    "autoAttach": True,
                    "waitForDebuggerOnStart": True,
                    "flatten": True,
                    "filter": only_workers,
                },
            )
            self.ready.set()
            async for message in socket_:
                event = json.loads(message.data)
                if event.get("method") != "Target.attachedToTarget":
                    continue
                session, target = event["params"]["sessionId"], event["params"]["targetInfo"]
                await send("Network.enable", {}, session)
                await send("Network.emulateNetworkConditions", REGULAR_3G, session)
                self.workers.append(target["url"])
                await send("Runtime.runIfWaitingForDebugger", {}, session)


class Phone:
    """One browser context on the emulated network, counting the bytes its page receives."""

    def __init__(self, browser, base: str, storage_state: dict | None = None) -> None:
        self.context = browser.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="en-GB",
            base_url=base,
            storage_state=storage_state,
        )
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.received = 0
        self.page.on(
            "console", lambda m: log(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        self.page.on(
            "response", lambda r: log(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
        )
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", REGULAR_3G)
        cdp.on("Network.loadingFinished", self._count)

    def _count(self, event: dict) -> None:
        self.received += int(event.get("encodedDataLength", 0))


def wait_until(page, predicate: str, timeout: float = 30) -> None:
    """Poll a JavaScript function: wait_for_function evals a string, which the CSP refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            raise RuntimeError(f"still false after {timeout} s: {predicate}")
        page.wait_for_timeout(100)


def sign_in(browser, base: str, username: str) -> dict:
    phone = Phone(browser, base)
    page = phone.page
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button").first.click()
    page.wait_for_url(lambda url: "/login/" not in url)
    landed = page.url
    state = phone.context.storage_state()
    phone.context.close()
    log(f"signed in; landed on {landed}")
    return state


def first_load(phone: Phone, session_id: int) -> int:
    page = phone.page
    page.goto(f"/distributions/{session_id}/checkin/", wait_until="load")
    loaded = phone.received
    wait_until(page, "() => document.getElementById('checkin').dataset.ready === '1'")
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until(page, "() => typeof jsQR === 'function' || 'BarcodeDetector' in window")
    page.wait_for_timeout(3000)  # what the worker keeps, while the phone is idle
    log(f"first load: {loaded} B to the load event; {phone.received} B by the time it is idle")
    return loaded


def probe(phone: Phone, throttle: WorkerThrottle) -> None:
    """The emulated network is in force on the page and on the service worker."""
    on_page = phone.page.evaluate(PROBE)
    workers = phone.context.service_workers
    on_worker = workers[0].evaluate(PROBE) if workers else 0.0
    log(f"probe: page {on_page:.0f} ms, service worker {on_worker:.0f} ms ({throttle.workers})")
    if on_page < RTT_MS or on_worker < RTT_MS:
        raise RuntimeError("the network emulation is not in force: the figures would be wrong")


def check_in(phone: Phone, code: str) -> tuple[float, int]:
    """
    Type the code; tap a sleeping bag, shoes 42 and Record: (ms, taps) from the code in the
    box to "Recorded" on screen, both read on the phone's own clock (MARKS), so that the
    time Playwright takes to send each tap from this process counts as the volunteer's
    reaction, not twice.
    """
    page = phone.page
    page.evaluate(MARKS, code)
    taps = 0
    page.get_by_label("Card code or phone number").fill(code)
    page.get_by_role("heading", level=2).filter(has_text=code).wait_for()
    page.get_by_role("checkbox", name="Sleeping bag").click(no_wait_after=True)
    taps += 1
    page.get_by_role("group", name="Shoes").get_by_text("42", exact=True).click(no_wait_after=True)
    taps += 1
    page.get_by_role("button", name="Record").click(no_wait_after=True)
    taps += 1
    page.locator("#notice").filter(has_text=f"Recorded: {code}").wait_for()
    marks = page.evaluate("() => window.benchMarks")
    log(
        f"  {code}: found at {marks['found'] - marks['read']:.0f} ms, "
        f"Record tapped at {marks['record'] - marks['read']:.0f} ms, "
        f"recorded at {marks['recorded'] - marks['read']:.0f} ms"
    )
    return marks["recorded"] - marks["read"], taps


def measure(base: str, session_id: int, codes: list[str], username: str) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    devtools_port = free_port()
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[*CHROMIUM_ARGS, f"--remote-debugging-port={devtools_port}"],
        )
        throttle = WorkerThrottle(devtools_port)
        state = sign_in(browser, base, username)
        phone = Phone(browser, base, storage_state=state)
        loaded = first_load(phone, session_id)
        probe(phone, throttle)
        timings, taps = [], []
        for code in codes:
            ms, tapped = check_in(phone, code)
            timings.append(ms)
            taps.append(tapped)
        log("scan to recorded, ms: " + ", ".join(f"{ms:.0f}" for ms in timings))
        browser.close()
    return [
        ("taps_to_record", str(max(taps))),
        ("scan_to_recorded_ms", f"{statistics.median(timings):.0f}"),
        ("first_load_kb", f"{loaded / 1024:.1f}"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=8, help="people checked in, one by one")
    args = parser.parse_args()
    configure()
    log(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    folder = Path(tempfile.mkdtemp(prefix="fieldapp-bench-field-"))
    server_log = (folder / "gunicorn.log").open("w+")
    processes = []
    try:
        database_prepare(DATABASE_URL, False)
        static = static_collect()
        import django

        django.setup()
        session_id, codes, username = prepare(args.people)
        gunicorn, upstream = server_start(server_log)
        processes.append(gunicorn)
        nginx, base = nginx_start(folder, static, upstream)
        processes.append(nginx)
        figures = measure(base, session_id, codes, username)
    except Exception as error:  # noqa: BLE001 - any failure ends the bench
        log(f"FAILED: {error!r}")
        server_log.seek(0)
        log("gunicorn log (last 3000 characters):\n" + server_log.read()[-3000:])
        return 1
    finally:
        for process in reversed(processes):
            server_stop(process)
        server_log.close()
    log(f"load average after the run: {os.getloadavg()[0]:.1f}")
    for name, value in figures:
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
