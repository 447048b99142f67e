"""
Scale-out on one machine: the check-in and dispatch benches run together, first on one
gunicorn instance and one Celery worker, then on two of each (two gunicorn instances
behind one nginx, two workers on one Redis), to show that a second instance adds
throughput and that nothing is sent or handed out twice when two of them share the work.

    .venv/bin/python bench/scaleout.py            # 2,000 people, 20 s of check-ins per round
    .venv/bin/python bench/scaleout.py --duration 60 --people 20000 --messages 10000

Each round runs `bench/checkin.py --instances K --workers 1` (closed loop, 20 clients,
through nginx) and `bench/dispatch.py --workers K` at the same time, K = 1 then 2. Both
use a Redis server of their own (bench/stack.py, another port: the shared one is never
flushed) and the databases fieldapp_proof_checkin and fieldapp_proof_dispatch
(SCALEOUT_DATABASE_PREFIX to change). One gunicorn worker per instance: on two CPUs,
instances of one worker each are what can show the second instance's share.

Printed last, `name: value`: scaleout_checkins_per_second_1 and _2, scaleout_checkin_p95_ms_1
and _2, scaleout_dispatch_rate_1 and _2 (SMS per second), scaleout_gain (check-ins per
second with two instances / with one), and over both rounds scaleout_sms_duplicates,
scaleout_sms_lost, scaleout_double_handouts, scaleout_lost_checkins (each expected 0).
The machine is shared: the load average is logged. Exits 1 when a bench fails or
anything is lost or doubled.
"""

import argparse
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack import Redis, log  # noqa: E402 - after the path is set

PREFIX = os.environ.get("SCALEOUT_DATABASE_PREFIX", "postgres://postgres@127.0.0.1:5432/")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of check-ins")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=2000, help="SMS per round")
    return parser.parse_args()


def figures(output: str) -> dict[str, str]:
    """The `name: value` lines a bench printed on stdout."""
    found = {}
    for line in output.splitlines():
        name, colon, value = line.partition(": ")
        if colon and name and " " not in name:
            found[name] = value.strip()
    return found


def run(command: list[str], env: dict, results: dict, key: str) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    results[key] = figures(done.stdout)
    results[f"{key}_exit"] = done.returncode
    if done.returncode:
        log(f"{key} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def round_run(k: int, args: argparse.Namespace, redis_url: str) -> dict:
    """Both benches at once with k instances and k workers: their figures."""
    env = {**os.environ, "BENCH_DATABASE_URL": f"{PREFIX}fieldapp_proof_checkin"}
    env["BENCH_REDIS_URL"] = redis_url.replace("/0", "/1")
    checkin = [sys.executable, "bench/checkin.py", "--instances", str(k), "--workers", "1"]
    checkin += ["--people", str(args.people), "--duration", str(args.duration)]
    dispatch = [sys.executable, "bench/dispatch.py", "--workers", str(k), "--n", str(args.messages)]
    dispatch += ["--database-url", f"{PREFIX}fieldapp_proof_dispatch", "--redis-url", redis_url]
    results: dict = {}
    threads = [
        threading.Thread(target=run, args=(checkin, env, results, "checkin")),
        threading.Thread(target=run, args=(dispatch, dict(os.environ), results, "dispatch")),
    ]
    log(f"round with {k} instance(s) and {k} worker(s); load {os.getloadavg()[0]:.2f}")
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log(f"round {k}: {results}; load {os.getloadavg()[0]:.2f}")
    return results


def main() -> int:
    args = parse_args()
    redis = Redis()
    try:
        # The check-in database is seeded on the first run: do it before anything is timed.
        rounds = {k: round_run(k, args, redis.url) for k in (1, 2)}
    finally:
        redis.stop()
    lines: dict[str, str] = {}
    sums = {"sms_duplicates": 0, "sms_lost": 0, "double_handouts": 0, "lost_checkins": 0}
    failed = False
    for k, results in rounds.items():
        checkin, dispatch = results.get("checkin", {}), results.get("dispatch", {})
        failed |= bool(results.get("checkin_exit") or results.get("dispatch_exit"))
        lines[f"scaleout_checkins_per_second_{k}"] = checkin.get("checkins_per_second", "n/a")
        lines[f"scaleout_checkin_p95_ms_{k}"] = checkin.get("p95_ms", "n/a")
        lines[f"scaleout_dispatch_rate_{k}"] = dispatch.get("dispatch_rate", "n/a")
        for name, source, key in [
            ("sms_duplicates", dispatch, "duplicates"),
            ("sms_lost", dispatch, "lost"),
            ("double_handouts", checkin, "double_handouts"),
            ("lost_checkins", checkin, "lost_checkins"),
        ]:
            if key not in source:
                failed = True
                continue
            sums[name] += int(source[key])
    one, two = (lines[f"scaleout_checkins_per_second_{k}"] for k in (1, 2))
    if "n/a" not in (one, two) and float(one):
        lines["scaleout_gain"] = f"{float(two) / float(one):.2f}"
    lines |= {f"scaleout_{name}": str(value) for name, value in sums.items()}
    for name, value in lines.items():
        print(f"{name}: {value}")
    return 1 if failed or any(sums.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
