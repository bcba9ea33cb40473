"""Requests are counted per key and window, in one Redis round trip, never left without expiry."""

import pytest

from lider.core import throttle
from lider.core.redis_cache import RedisCache
from tests.served import REDIS, redis_answers


def test_the_count_grows_per_key_in_the_memory_cache(db):
    assert [throttle.count("a", 60) for _n in range(3)] == [1, 2, 3]
    assert throttle.count("b", 60) == 1


@pytest.mark.skipif(not redis_answers(), reason="needs a Redis server")
def test_with_redis_one_command_counts_and_the_counter_expires(monkeypatch):
    cache = RedisCache(REDIS, {"KEY_PREFIX": "lider-test-throttle"})
    monkeypatch.setattr(throttle, "_backend", lambda: cache)
    cache.delete("address")
    client = cache._cache.get_client(write=True)
    throttle.count("warm-up", 60)  # the script is loaded once
    sent = []
    original = client.execute_command

    def execute_command(*args, **kwargs):
        sent.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(client, "execute_command", execute_command)

    assert [throttle.count("address", 600) for _n in range(3)] == [1, 2, 3]
    assert sent == ["EVALSHA"] * 3  # one command (one round trip) per request
    key = cache.make_and_validate_key("address")
    assert 0 < client.ttl(key) <= 600  # the window began with the first request, not moved
    assert cache.get("address") == 3  # Django's cache reads the same counter
    cache.delete_many(["address", "warm-up"])
