"""Requests are counted per key and window, in one Redis round trip, never left without expiry."""

import pytest

from lider.core import throttle
from lider.core.redis_cache import RedisCache
from tests.website.test_public_cache_served import REDIS, redis_answers


def test_the_count_grows_per_key_in_the_memory_cache(db):
    assert [throttle.count("a", 60) for _n in range(3)] == [1, 2, 3]
    assert throttle.count("b", 60) == 1


@pytest.mark.skipif(not redis_answers(), reason="needs a Redis server")
def test_with_redis_one_round_trip_counts_and_the_counter_expires(monkeypatch):
    cache = RedisCache(REDIS, {"KEY_PREFIX": "lider-test-throttle"})
    monkeypatch.setattr(throttle, "_backend", lambda: cache)
    cache.delete("address")
    client = cache._cache.get_client(write=True)
    sent = []
    original = type(client.pipeline()).execute

    def execute(pipe, *args, **kwargs):
        sent.append(len(pipe.command_stack))
        return original(pipe, *args, **kwargs)

    monkeypatch.setattr(type(client.pipeline()), "execute", execute)

    assert [throttle.count("address", 600) for _n in range(3)] == [1, 2, 3]
    assert sent == [2, 2, 2]  # SET NX EX and INCR, sent together each time
    key = cache.make_and_validate_key("address")
    assert 0 < client.ttl(key) <= 600  # the window began with the first request, not moved
    assert cache.get("address") == 3  # Django's cache reads the same counter
    cache.delete("address")
