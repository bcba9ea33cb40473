"""The Redis cache backend reuses one client per pool, and works as Django's does."""

import pytest

from lider.core.redis_cache import RedisCache
from tests.served import REDIS, redis_answers


@pytest.mark.skipif(not redis_answers(), reason="needs a Redis server")
def test_the_cache_keeps_one_client_and_answers_like_djangos():
    cache = RedisCache(REDIS, {"KEY_PREFIX": "lider-test-redis-cache"})

    cache.set("key", {"a": 1}, 30)
    cache.add("counter", 0, 30)

    assert cache.get("key") == {"a": 1}
    assert cache.get_many(["key", "missing"]) == {"key": {"a": 1}}
    assert cache.incr("counter") == 1
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.delete_many(["key", "counter"])
    assert cache.get("key") is None
