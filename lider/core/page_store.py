"""Whole pages kept in this worker's memory, each under the shared-cache tokens it was made with.

A token is a random value under a key in Django's cache (Redis when deployed); a change to what
a page shows drops the token (``drop``), so the page no longer matches and is made afresh.
Used by the public pages (``lider.website.public_cache``) and the back office's kept pages
(``lider.core.kept_pages``). Bounded: at most ``ENTRIES`` pages, least recently used dropped.
"""

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

ENTRIES = 512


@dataclass
class Page:
    token_keys: tuple
    tokens: tuple
    headers: tuple
    body: bytes
    checked: float  # time.monotonic() when the tokens were last seen unchanged
    admits: object = None  # admits(request) -> bool, asked before each hit (a rate limit)


class _Store:
    def __init__(self, entries: int):
        self.entries = entries
        self.pages: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key) -> Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page: Page) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.entries:
                self.pages.popitem(last=False)

    def drop_under(self, token_key: str) -> None:
        with self.lock:
            for key in [k for k, page in self.pages.items() if token_key in page.token_keys]:
                del self.pages[key]

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


store = _Store(ENTRIES)


def read_tokens(keys, *, given=()) -> tuple[tuple, tuple]:
    """(keys, their values): what a page is made under. A missing token is made now; a key in
    ``given`` (a session's record, say) is read as it is, None when missing."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found and key not in given:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "none"
    return tuple(keys), tuple(found.get(key) for key in keys)


def keep(key, made_under: tuple[tuple, tuple], response, admits=None) -> None:
    headers = tuple((k, v) for k, v in response.items())
    store.put(key, Page(*made_under, headers, response.content, time.monotonic(), admits))


def current(page: Page, recheck_seconds: float) -> bool:
    """Whether the tokens still hold: trusted for ``recheck_seconds`` after they were last read,
    then read again (one round trip to the shared cache)."""
    now = time.monotonic()
    if recheck_seconds and now - page.checked < recheck_seconds:
        return True
    found = cache.get_many(page.token_keys)
    if tuple(found.get(k) for k in page.token_keys) != page.tokens:
        return False
    page.checked = now
    return True


def response(page: Page) -> HttpResponse:
    answer = HttpResponse(page.body)
    for header, value in page.headers:
        answer[header] = value
    return answer


class _Drop:
    """Drop tokens (and this worker's pages made under them); also run when a change commits."""

    def __init__(self, keys: tuple[str, ...]):
        self.keys = keys

    def __call__(self) -> None:
        for key in self.keys:
            store.drop_under(key)
        cache.delete_many(self.keys)


def drop(*keys: str) -> None:
    """A change: the tokens go (one round trip), and this worker's pages made under them at
    once; once more when the change commits, since a request that read the old rows before the
    commit may have kept them under a token made in between (registered once per transaction:
    a loop saving many rows adds no work at commit)."""
    _Drop(keys)()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(callback, "keys", None) == keys
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Drop(keys))
