"""
Cache backends that survive an outage of the cache itself.

When Redis stops (or the disk cache's files cannot be opened) the site must go
on serving readers, uncached (issue 12.3). These backends are Django's Redis
backend and diskcache's Django backend with one change: an error that means
"the cache is unavailable" is logged once per process, and then

* reads (`get`, `get_many`, `has_key`) answer as a miss;
* writes that only save work (`set`, `set_many`, `delete`, `touch`, `clear`)
  are dropped;
* operations whose answer decides something (`add`, `incr`, `decr`) raise
  `CacheUnavailable`: nobody can tell whether a lock was taken or a counter
  moved. The site answers 503 with `Retry-After` for them (see
  `newsroom.views.server_error`) rather than guess.

For a few seconds after an error (`RETRY_SECONDS`) every call fails fast
without touching the network, so an outage costs one failed connection per
worker every few seconds, not one per request.

Rate limits **fail closed**: allauth takes a lock with `add` before it reads a
limit's history, so log-in, sign-up and password reset answer 503 ("try again
in a minute") while the cache is down, rather than let an unlimited stream of
password guesses through. Reading the site, signed in or not, goes on. The
outage is logged and `/healthz` answers 503 naming the cache, which is what
should page the operator.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("newsroom.cache")

#: After an outage error, calls fail fast for this many seconds.
RETRY_SECONDS = 5.0


class CacheUnavailable(Exception):
    """The cache could not answer an operation whose result matters (add, incr)."""


class Outage:
    """Whether the cache is down in this process, logged once per outage."""

    def __init__(self) -> None:
        self.down = False
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def failed(self, error: BaseException) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.down:
                return
            self.down = True
        logger.error("The cache is unavailable; serving without it: %r", error)

    def worked(self) -> None:
        if self.down:
            with self.lock:
                if not self.down:
                    return
                self.down = False
            logger.warning("The cache is available again")

    def reset(self) -> None:
        """Forget any outage (tests start from a working cache)."""
        with self.lock:
            self.down = False
            self.retry_at = 0.0

    def resting(self) -> bool:
        """True for RETRY_SECONDS after an error: do not try the cache now."""
        return self.down and time.monotonic() < self.retry_at


#: One per process: every tolerant backend shares it (they are one server or
#: one disk).
outage = Outage()


class TolerantMixin:
    """Catches `outage_errors` around every cache call (see the module docstring)."""

    outage_errors: tuple[type[BaseException], ...] = ()

    def _guard(self, name: str, args, kwargs, on_outage: Callable[[], Any]) -> Any:
        if outage.resting():
            return on_outage()
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except self.outage_errors as error:
            outage.failed(error)
            return on_outage()
        outage.worked()
        return result

    @staticmethod
    def _raise() -> Any:
        raise CacheUnavailable("the cache is unavailable")

    # Reads: a miss.
    def get(self, *args, **kwargs):
        default = args[1] if len(args) > 1 else kwargs.get("default")
        return self._guard("get", args, kwargs, lambda: default)

    def get_many(self, *args, **kwargs):
        return self._guard("get_many", args, kwargs, dict)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", args, kwargs, lambda: False)

    # Writes that only save work: dropped.
    def set(self, *args, **kwargs):
        return self._guard("set", args, kwargs, lambda: False)

    def set_many(self, *args, **kwargs):
        data = args[0] if args else kwargs.get("data", {})
        return self._guard("set_many", args, kwargs, lambda: list(data))

    def delete(self, *args, **kwargs):
        return self._guard("delete", args, kwargs, lambda: False)

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", args, kwargs, lambda: None)

    def touch(self, *args, **kwargs):
        return self._guard("touch", args, kwargs, lambda: False)

    def clear(self):
        return self._guard("clear", (), {}, lambda: None)

    # Answers that decide something: raise.
    def add(self, *args, **kwargs):
        return self._guard("add", args, kwargs, self._raise)

    def incr(self, *args, **kwargs):
        return self._guard("incr", args, kwargs, self._raise)

    def decr(self, *args, **kwargs):
        return self._guard("decr", args, kwargs, self._raise)

    def ping(self) -> None:
        """One real round trip; raises whatever the backend raises (for /healthz)."""
        super().set("newsroom:ping", 1, 10)
        if super().get("newsroom:ping") != 1:
            raise CacheUnavailable("the cache did not keep a value")
        outage.worked()


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class TolerantRedisCache(TolerantMixin, RedisCache):
    """Django's Redis backend that keeps the site up while Redis is down."""

    outage_errors = _redis_errors()


def _disk_errors() -> tuple[type[BaseException], ...]:
    import diskcache

    return (sqlite3.Error, OSError, diskcache.Timeout)


try:
    from diskcache import DjangoCache
except ImportError:  # pragma: no cover - diskcache is a dependency
    DjangoCache = None
else:

    class TolerantDiskCache(TolerantMixin, DjangoCache):
        """diskcache's Django backend that keeps the site up if its files fail."""

        outage_errors = _disk_errors()

        def close(self, **kwargs):
            # Django closes every cache after each request (request_finished).
            # diskcache's SQLite connections are meant to stay open: reopening
            # them costs a connect and about ten PRAGMAs per request, which made
            # a cached page cost several times a static file. Keep them.
            pass


def cache_check(alias: str = "default") -> None:
    """Raise if the cache `alias` cannot store and read a value now (for /healthz)."""
    from django.core.cache import caches

    backend = caches[alias]
    if isinstance(backend, TolerantMixin):
        backend.ping()
        return
    backend.set("newsroom:ping", 1, 10)
    if backend.get("newsroom:ping") != 1:
        raise CacheUnavailable("the cache did not keep a value")
