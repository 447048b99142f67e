"""
The production stack, started by the benches on this machine: nginx in front of one or
more gunicorn instances, and, for the fault runs, a PostgreSQL cluster and a Redis server
of their own, on other ports, so that stopping or flushing them touches nobody else.

nginx runs in the foreground (`daemon off`) from a minimal config written to a temporary
prefix: an upstream of the gunicorn instances, `Host` passed with its port, the client
address in X-Forwarded-For, kept-alive upstream connections. It is the smallest config
that puts nginx in the path; the shipped one (deploy/nginx/) adds TLS, gzip, static files
and limits. NGINX_CONF names another template to use instead (placeholders `{listen}`,
`{upstream}`, `{prefix}`), which is how the shipped config is measured once it takes them.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]

NGINX_TEMPLATE = """
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 2m;
    upstream fieldapp {
{upstream}
        keepalive 64;
    }
    server {
        listen {listen};
        location / {
            proxy_pass http://fieldapp;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 60s;
        }
    }
}
"""


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{base}/healthz did not answer 200 (exit code {process.poll()})")


def stop(process: subprocess.Popen | None, timeout: float = 25) -> None:
    """SIGTERM to the process group, SIGKILL to what is left after `timeout` s."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def gunicorn_start(log_file, workers: int, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """One gunicorn instance with deploy/gunicorn.conf.py: (process, base URL)."""
    port = port or free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "fieldapp.wsgi"]
    command += ["-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)]
    out = {"stdout": log_file, "stderr": subprocess.STDOUT}
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **out)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
    except RuntimeError:
        stop(process)
        raise
    return process, base


class Nginx:
    """nginx in the foreground on a free port, proxying to `backends` (base URLs)."""

    def __init__(self, backends: list[str]) -> None:
        self.prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        template = NGINX_TEMPLATE
        if os.environ.get("NGINX_CONF"):
            template = Path(os.environ["NGINX_CONF"]).read_text()
        upstream = "\n".join(f"        server {b.removeprefix('http://')};" for b in backends)
        values = {"{prefix}": str(self.prefix), "{listen}": f"127.0.0.1:{self.port}"}
        config = template
        for placeholder, value in {**values, "{upstream}": upstream}.items():
            config = config.replace(placeholder, value)  # not format(): nginx's own braces
        (self.prefix / "nginx.conf").write_text(config)
        command = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(self.prefix)]
        command += ["-e", str(self.prefix / "error.log"), "-c", str(self.prefix / "nginx.conf")]
        self.process = subprocess.Popen(command, start_new_session=True)
        try:
            wait_healthy(self.base, self.process, timeout=20)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        stop(self.process, timeout=10)
        shutil.rmtree(self.prefix, ignore_errors=True)


class Postgres:
    """
    A PostgreSQL cluster of its own (initdb in a temporary folder, trust auth, another
    port), run as the postgres user, for faults that stop the server.
    """

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.log = self.data.parent / f"{self.data.name}.log"
        shutil.chown(self.data, "postgres", "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/fieldapp_faults"
        self.start()

    def _as_postgres(self, program: str, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(self.bin / program), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)
        self.log.unlink(missing_ok=True)


class Redis:
    """A redis-server of its own on another port, no persistence: flushed and restarted."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.1)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        stop(self.process, timeout=10)
