"""Requests counted per key and window in the shared cache (limits per client address).

With Redis one round trip counts and reads (a MULTI of SET NX EX and INCR: the window starts
with the first request, and the counter can never be left without its expiry); with another
cache, Django's ``add`` and ``incr``.
"""

from django.core.cache import caches

from lider.core.redis_cache import RedisCache


def count(key: str, window_seconds: int) -> int:
    """One more request under ``key``; the number in the current window, this one included."""
    cache = _backend()
    if isinstance(cache, RedisCache):
        full_key = cache.make_and_validate_key(key)
        pipe = cache._cache.get_client(full_key, write=True).pipeline(transaction=True)
        pipe.set(full_key, 0, ex=window_seconds, nx=True)
        pipe.incr(full_key)
        return pipe.execute()[1]
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def _backend():
    return caches["default"]  # the backend itself (``django.core.cache.cache`` is a proxy)
