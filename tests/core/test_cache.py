"""The Redis cache backend the portal uses whenever CACHE_URL points at Redis."""

import os

import pytest
import redis

from apps.core.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:  # pragma: no cover - every machine and CI run Redis
        pytest.fail(f"Redis is not reachable at {REDIS_URL}")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})
    yield cache
    cache.clear()


def test_it_stores_reads_counts_and_deletes_like_djangos_backend(redis_cache):
    redis_cache.set("figure", {"schools": 3}, 60)
    redis_cache.set_many({"a": 1, "b": 2}, 60)

    assert redis_cache.get("figure") == {"schools": 3}
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert redis_cache.incr("a") == 2
    assert redis_cache.add("a", 9) is False
    redis_cache.delete("figure")
    assert redis_cache.get("figure", "gone") == "gone"


def test_one_client_serves_every_call_on_a_pool(redis_cache):
    client = redis_cache._cache.get_client(write=True)

    redis_cache.set("x", 1, 60)
    redis_cache.get("x")

    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads use the same pool


def test_settings_choose_it_for_a_redis_url(monkeypatch):
    import importlib

    from hangzhou_waijiao.settings import base

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/3")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"] == "apps.core.cache.RedisCache"
        assert reloaded.SHARED_CACHE
        assert reloaded.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(base)
