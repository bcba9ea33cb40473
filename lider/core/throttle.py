"""Requests counted per key and window in the shared cache (limits per client address).

With Redis one command counts and reads (a script run by EVALSHA: INCR, and EXPIRE when the
count is 1, so the window starts with the first request and the counter can never be left
without its expiry; one reply to read); with another cache, Django's ``add`` and ``incr``.
"""

from django.core.cache import caches

from lider.core.redis_cache import RedisCache


def count(key: str, window_seconds: int) -> int:
    """One more request under ``key``; the number in the current window, this one included."""
    cache = _backend()
    if isinstance(cache, RedisCache):
        full_key = cache.make_and_validate_key(key)
        client = cache._cache.get_client(full_key, write=True)
        return int(_script(client)(keys=[full_key], args=[window_seconds]))
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""
_scripts = {}


def _script(client):
    """The counting script registered once per client (redis-py sends EVALSHA, and the script
    itself once if the server does not know it)."""
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_COUNT)
    return script


def _backend():
    return caches["default"]  # the backend itself (``django.core.cache.cache`` is a proxy)
