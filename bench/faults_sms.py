"""
The SMS faults of bench/faults.py: a worker killed, Redis emptied, the provider failing.
Each runs real Celery workers (bench/dispatch.py's) on the run's own Redis and database,
with this process playing beat, and compares the outbox with what the Twilio stub got.
"""

import os
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable

from bench import dispatch
from bench.stack import Redis, log

TICK = 0.2
DONE = {"sent", "unknown", "failed", "cancelled"}


class Workers:
    """Celery workers as systemd keeps them: one that dies is started again."""

    def __init__(self, stub, count: int) -> None:
        self.stub, self.log = stub, tempfile.TemporaryFile("w+")  # noqa: SIM115
        self.processes = [dispatch.worker_start(stub, self.log, i) for i in range(count)]
        self.started = count
        dispatch.worker_wait(self.processes)

    def kill_one(self) -> None:
        victim = self.processes[0]
        os.killpg(victim.pid, signal.SIGKILL)  # the worker and its pool, mid-task
        victim.wait(timeout=10)
        log(f"SIGKILLed worker {victim.pid}")

    def supervise(self) -> None:
        for index, process in enumerate(self.processes):
            if process.poll() is not None:
                self.processes[index] = dispatch.worker_start(self.stub, self.log, self.started)
                self.started += 1
                log(f"worker {process.pid} gone (exit {process.returncode}): started another")

    def stop(self) -> None:
        for process in self.processes:
            dispatch.worker_stop(process)
        self.log.seek(0)
        tail = self.log.read()[-1500:]
        if "Traceback" in tail:
            log(f"worker log (end):\n{tail}")
        self.log.close()


def _reconnect() -> None:
    """This process's broker connections to the old Redis are dead: open new ones."""
    from kombu import pools

    from fieldapp.celery import app

    pools.reset()  # closes and forgets every pooled connection
    app._after_fork()  # Celery's own reset of its pools, as in a forked child


def _beat() -> None:
    """messages_dispatch() as beat runs it: an error (Redis away) is logged, not fatal."""
    from services.messaging.tasks import messages_dispatch

    try:
        messages_dispatch()
    except Exception as error:  # noqa: BLE001 - beat logs and runs again next tick
        log(f"dispatch run failed: {error!r}")


def run(
    stub,
    n: int,
    workers: int = 2,
    fault: Callable[[Workers], None] | None = None,
    timeout: float = 180,
    reset: bool = True,
) -> dict[str, int]:
    """n SMS due now until every one is done; `fault` once a third are sent. The counts."""
    from django.db.models import Count

    from services.messaging.models import Message

    if reset:
        stub.reset()
    _seconds, first = dispatch.messages_schedule(n)
    rows = Message.objects.filter(id__gte=first, id__lt=first + n)
    pool = Workers(stub, workers)
    started, struck = time.monotonic(), fault is None
    try:
        while time.monotonic() - started < timeout:
            _beat()
            by_status = dict(rows.values_list("status").annotate(k=Count("id")).order_by())
            if not struck and by_status.get("sent", 0) >= n // 3:
                log(f"striking at {by_status}")
                fault(pool)
                struck = True
            pool.supervise()
            if set(by_status) <= DONE:
                break
            time.sleep(TICK)
        log(f"done in {time.monotonic() - started:.1f} s: {by_status}")
    finally:
        pool.stop()
    return _compare(stub, rows, by_status)


def _compare(stub, rows, by_status: dict[str, int]) -> dict[str, int]:
    at_provider = Counter((m.to, m.body) for m in stub.messages)
    sent = rows.filter(status="sent").values_list("to_phone", "body")
    missing = sum(1 for to, body in sent if (str(to), body) not in at_provider)
    unsent = sum(k for status, k in by_status.items() if status not in {"sent", "unknown"})
    return {
        "lost": missing + unsent,
        "doubled": sum(k - 1 for k in at_provider.values()),
        "unknown": by_status.get("unknown", 0),
    }


def worker_kill(redis: Redis) -> dict[str, int]:
    from tests.messaging.twilio_stub import TwilioStub

    with TwilioStub(latency=0.05) as stub:  # sends take a while: some are mid-flight
        return run(stub, 300, fault=lambda pool: pool.kill_one())


def redis_restart(redis: Redis) -> dict[str, int]:
    from tests.messaging.twilio_stub import TwilioStub

    def flush_and_restart(pool: Workers) -> None:
        command = ["redis-cli", "-p", str(redis.port), "FLUSHALL"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        redis.stop()
        time.sleep(2)
        redis.start()
        _reconnect()
        log("Redis flushed, stopped and started again")

    with TwilioStub(latency=0.05) as stub:
        return run(stub, 300, fault=flush_and_restart)


def _provider(program: Callable | None = None, latency: float = 0.0) -> dict[str, int]:
    """40 SMS with the provider programmed from the first send on."""
    from tests.messaging.twilio_stub import TwilioStub

    with TwilioStub(latency=latency) as stub:
        stub.reset()
        if program is not None:
            program(stub)
        found = run(stub, 40, reset=False)
        found["provider_posts"] = stub.posts_received
        return found


def twilio_500(redis: Redis) -> dict[str, int]:
    return _provider(lambda stub: stub.fail_next(status=500, times=3))


def twilio_429(redis: Redis) -> dict[str, int]:
    return _provider(lambda stub: stub.fail_next(status=429, code=20429, times=3))


def twilio_slow(redis: Redis) -> dict[str, int]:
    return _provider(latency=1.5)


def twilio_hang(redis: Redis) -> dict[str, int]:
    timeout = float(os.environ["SMS_HTTP_TIMEOUT"])

    def hang(stub) -> None:
        for _ in range(3):
            stub.accept_then_hang(timeout + 2)

    return _provider(hang)


FAULTS: dict[str, Callable[[Redis], dict[str, int]]] = {
    "worker_kill": worker_kill,
    "redis_restart": redis_restart,
    "twilio_500": twilio_500,
    "twilio_429": twilio_429,
    "twilio_slow": twilio_slow,
    "twilio_hang": twilio_hang,
}
