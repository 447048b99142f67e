"""The shipped Redis settings, loaded by a real redis-server: a broker that never evicts."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.deploy.stack import free_port

SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "redis" / "fieldapp.conf"


def test_the_shipped_redis_config_refuses_to_evict_queued_tasks(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: apt-get install redis-server", pytrace=False)
    port = free_port()
    process = subprocess.Popen(
        [server, str(SHIPPED), "--port", str(port), "--dir", str(tmp_path), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert int(client.config_get("maxmemory")["maxmemory"]) == 256 * 1024 * 1024
    finally:
        process.terminate()
        process.wait(timeout=10)
