"""
Where counted views wait for the next flush to the database.

Each cache backend the site runs on gets the simplest store its own atomic
operations allow (see "View counts" in the README):

* **Redis** (`CACHE_URL=redis://…`, several machines): one hash, story id →
  views. `HINCRBY` counts a view; a flush takes the whole hash with `HGETALL`
  and `DEL` inside one `MULTI`/`EXEC`, so a view is either in what it took or
  still in Redis for the next flush.
* **diskcache** (the default with no `CACHE_URL`: one machine, many workers):
  a diskcache `Cache` of its own beside the page cache, story id → views.
  `Cache.incr` counts a view; a flush reads and deletes every entry inside
  `Cache.transact()`, one SQLite `BEGIN IMMEDIATE` transaction that no other
  write can interleave with.
* **Local memory** (`DEBUG` and tests: one process): one dict in the cache,
  changed under a lock. The cache lives inside this process, so a lock of
  this process is all it takes.

Each `drain()` takes every pending view exactly once: two flushes running at
once take disjoint sets, and views counted meanwhile wait for the next one.
"""

import threading
from typing import Protocol

from diskcache import DjangoCache
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

#: The Redis hash, the diskcache sub-cache and the local-memory cache key.
STORE_NAME = "views-pending"


class PendingViews(Protocol):
    """Views counted in the cache and not yet written to the database."""

    def add(self, article_id: int, amount: int = 1) -> int:
        """Add `amount` views of a story; return its pending views after the addition."""

    def get_many(self, article_ids: list[int]) -> dict[int, int]:
        """Pending views of these stories (stories with none are left out)."""

    def drain(self) -> dict[int, int]:
        """Take every pending view out of the store, atomically: {story id: views}."""


class RedisPendingViews:
    def __init__(self, cache: RedisCache) -> None:
        # Django's Redis backend has no public way to reach its client: its
        # `_cache` is the connection-pooled client wrapper it uses itself.
        self.client = cache._cache.get_client(write=True)
        self.key = cache.make_and_validate_key(STORE_NAME)

    def add(self, article_id: int, amount: int = 1) -> int:
        return int(self.client.hincrby(self.key, article_id, amount))

    def get_many(self, article_ids: list[int]) -> dict[int, int]:
        if not article_ids:
            return {}
        values = self.client.hmget(self.key, article_ids)
        return {pk: int(value) for pk, value in zip(article_ids, values, strict=True) if value}

    def drain(self) -> dict[int, int]:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(self.key)
            pipe.delete(self.key)
            taken, _ = pipe.execute()
        return {int(pk): int(views) for pk, views in taken.items() if int(views)}


class DiskPendingViews:
    def __init__(self, cache: DjangoCache) -> None:
        # A sub-cache in its own SQLite file: counting never waits on page
        # writes, and its entries have no expiry (nor a size anywhere near
        # diskcache's 1 GB default limit, so nothing is culled).
        self.store = cache.cache(STORE_NAME)

    def add(self, article_id: int, amount: int = 1) -> int:
        return self.store.incr(article_id, amount, default=0, retry=True)

    def get_many(self, article_ids: list[int]) -> dict[int, int]:
        found = {pk: self.store.get(pk, default=0, retry=True) for pk in article_ids}
        return {pk: views for pk, views in found.items() if views}

    def drain(self) -> dict[int, int]:
        taken = {}
        with self.store.transact(retry=True):
            for pk in list(self.store):
                taken[pk] = self.store.pop(pk, default=0, retry=True)
        return {pk: views for pk, views in taken.items() if views}


class LocalPendingViews:
    _lock = threading.Lock()

    def __init__(self, cache: LocMemCache) -> None:
        self.cache = cache

    def add(self, article_id: int, amount: int = 1) -> int:
        with self._lock:
            pending = self.cache.get(STORE_NAME) or {}
            pending[article_id] = pending.get(article_id, 0) + amount
            self.cache.set(STORE_NAME, pending, timeout=None)
            return pending[article_id]

    def get_many(self, article_ids: list[int]) -> dict[int, int]:
        pending = self.cache.get(STORE_NAME) or {}
        return {pk: pending[pk] for pk in article_ids if pending.get(pk)}

    def drain(self) -> dict[int, int]:
        with self._lock:
            pending = self.cache.get(STORE_NAME) or {}
            self.cache.delete(STORE_NAME)
        return {pk: views for pk, views in pending.items() if views}


def pending_views(cache: BaseCache | None = None) -> PendingViews:
    """The store for `cache` (default: the `default` cache).

    Raises ImproperlyConfigured for a backend other than Redis, diskcache or
    local memory: counting needs atomic operations that the others lack.
    """
    cache = cache or caches["default"]
    if isinstance(cache, RedisCache):
        return RedisPendingViews(cache)
    if isinstance(cache, DjangoCache):
        return DiskPendingViews(cache)
    if isinstance(cache, LocMemCache):
        return LocalPendingViews(cache)
    raise ImproperlyConfigured(
        f"View counting needs a Redis, diskcache or local-memory cache, not "
        f"{type(cache).__module__}.{type(cache).__qualname__} (see CACHE_URL in the README)."
    )
