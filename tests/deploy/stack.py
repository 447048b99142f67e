"""
The single-server stack, started for real: gunicorn with deploy/gunicorn.conf.py and the
production settings (DEBUG=0), behind nginx running deploy/nginx/fieldapp.conf with only its
ports and paths changed (deploy/nginx_render.py), on the test database.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from deploy.nginx_render import Layout, render
from tests.messaging.workers import database_url

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "a" * 20 + "-production-secret-key-that-is-long-and-random-9f8e7d6c"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(srv_dir: Path, **extra: str) -> dict[str, str]:
    unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS"}
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    environment.update(
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        FIELD_ENCRYPTION_KEY=settings.FIELD_ENCRYPTION_KEY,
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(srv_dir / "static"),
        FIELDAPP_VAR_DIR=str(srv_dir / "var"),
        TRUSTED_PROXIES="1",
        SMS_BACKEND="locmem",
        **extra,
    )
    return environment


def wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after 60 s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class Gunicorn:
    """
    gunicorn as systemd starts it (deploy/systemd/fieldapp-web.socket): on a listening socket
    it inherits (LISTEN_FDS), which outlives it, so a restart queues requests, never refuses.
    """

    def __init__(self, listener: socket.socket, env: dict[str, str], log: Path):
        self.listener, self.env, self.log = listener, env, log
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        fd = self.listener.fileno()
        return subprocess.Popen(
            # LISTEN_PID must be gunicorn's own pid: the shell's, which exec keeps.
            ["/bin/sh", "-c", 'LISTEN_PID=$$ exec "$@"', "sh", sys.executable, "-m", "gunicorn"]
            + ["fieldapp.wsgi", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env={**self.env, "LISTEN_FDS": "1"},
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=(3,),
            preexec_fn=lambda: os.dup2(fd, 3),  # fd 3, as systemd passes it
        )

    def restart(self) -> None:
        """What `systemctl restart fieldapp-web` does: stop gracefully, start anew."""
        stop(self.process)
        self.process = self._start()

    def stop(self) -> None:
        stop(self.process)


@dataclass
class Stack:
    layout: Layout
    base_url: str
    gunicorn: Gunicorn

    @property
    def certificate(self) -> str:
        return str(self.layout.cert_dir / "fullchain.pem")

    def client(self, source_address: str = "127.0.0.1") -> requests.Session:
        """A browser on this machine, connecting from source_address (any 127.x.y.z)."""
        session = requests.Session()
        # No proxy or CA bundle from the environment: requests would let REQUESTS_CA_BUNDLE
        # override the certificate below.
        session.trust_env = False
        session.verify = self.certificate
        session.mount("https://", SourceAddressAdapter(source_address))
        return session

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.gunicorn.log.read_text()[-3000:]}")
            try:
                if self.client().get(f"{self.base_url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"no answer after 60 s:\n{self.gunicorn.log.read_text()[-3000:]}")


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one loopback address: nginx sees each client at its own address."""

    def __init__(self, source_address: str):
        self.source_address = source_address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.source_address, 0)
        return super().init_poolmanager(*args, **kwargs)


def collectstatic(srv_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=production_env(srv_dir),
        check=True,
        timeout=300,
    )


@contextmanager
def started(base: Path, nginx_binary: str, shipped: Path | None = None) -> Iterator[Stack]:
    """gunicorn and nginx, both stopped when done; shipped is the nginx config file."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    layout = Layout(
        run_dir=base / "nginx",
        http_port=free_port(),
        https_port=free_port(),
        upstream=f"127.0.0.1:{listener.getsockname()[1]}",
        srv_dir=base / "srv",
        cert_dir=base / "certs",
    )
    conf = render(layout, **({"shipped": shipped} if shipped else {}))
    collectstatic(layout.srv_dir)
    gunicorn = Gunicorn(
        listener, production_env(layout.srv_dir, GUNICORN_WORKERS="2"), base / "gunicorn.log"
    )
    nginx = subprocess.Popen(
        [nginx_binary, "-c", str(conf), "-e", str(layout.run_dir / "error.log")]
        + ["-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(layout.run_dir / "stderr.log").open("w"),
        start_new_session=True,
    )
    try:
        wait_until_listening(layout.https_port, nginx, layout.run_dir / "stderr.log")
        stack = Stack(layout, f"https://localhost:{layout.https_port}", gunicorn)
        stack.wait_until_serving()
        yield stack
    finally:
        stop(nginx)
        gunicorn.stop()
        listener.close()
