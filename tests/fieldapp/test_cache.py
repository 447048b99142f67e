"""The Redis cache backend keeps one client, and works as Django's does."""

import os

import pytest

from fieldapp.cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


def test_one_client_serves_every_call():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-client"})
    cache.set("k", {"a": 1}, timeout=10)
    assert cache.get_many(["k", "missing"]) == {"k": {"a": 1}}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("k")
    assert cache.get("k") is None
