"""
The page cache: whole pages shared by readers who carry no state, named by
cache tags and purged by tag in every layer (our cache, Varnish or a CDN).

Breaking news brings many readers at once, nearly all anonymous with an empty
cart (DESIGN.md, option 1: cache only visitors with no state). A reader without
a session cookie gets a stored copy of the page without the view running;
anyone with a session (signed in, a cart, a pending message) gets a fresh
render marked `Cache-Control: private`.

What a view does to take part
-----------------------------
* `@cacheable(query={"page": PAGE_NUMBER}, tags=("lists",))` declares a view
  cacheable and names the query parameters that change its content, each with
  the spelling it accepts. Every other parameter (`utm_*`, `fbclid`, junk) is
  dropped before the view sees it and is never part of a key; a non-canonical
  value of a declared parameter (`?page=02`) is answered without caching, so no
  query string can make a second entry for a page.
* `tag_response(response, tags)` or `@cache_tags(...)` names what the page
  shows (the tag names are in `TAGS`); every cacheable page also carries `site`.
* `purge(tags)` after a change: runs when the transaction commits, drops every
  page carrying one of the tags here and in the front cache, never raises.
* `cache_until(request, when)` caps how long this response may be cached
  (the next scheduled publication, a banner's expiry).

How entries are checked
-----------------------
A purge takes the next number from one shared counter ("purge sequence") and
writes it as the version of each purged tag. An entry records the sequence
read *before* its page was rendered; it is still good while the sequence has
not moved, or when none of its tags was purged after it. So a hit costs at
most two cache reads, a purge is a handful of writes, and a render that raced
with a purge is never kept. Metadata (sequence, tag versions, render locks)
lives in the `default` cache, which never evicts live keys; pages live in the
`pages` cache, which has a byte budget and may evict.

Each worker also keeps the entries it served last in its own memory
(`RecentPages`, `PAGE_CACHE_WORKER_BYTES`), and serves one of them only while
it is fresh and the sequence read now is exactly the one it was checked at.
Then no purge has happened since, in any worker or on any machine, and a hit
costs one small cache read (the sequence) instead of two: reading and
unpickling a 16 KB page was the larger part of what a hit cost beyond a static
file. Any purge moves the sequence, so every worker's copies stop being used at
once and the next hit reads and checks the shared entry as before.

The counter can still be lost (a cleared cache, a Redis restarted without its
data). It is then made again at a new random *epoch* (`EPOCH_SPAN`), never at
0 or 1: counting again from a small number would, after as many purges as
before, hand out a number an old entry holds and make it look current.
Anything recorded in another epoch is never trusted.
"""

from __future__ import annotations

import copy
import datetime
import functools
import hashlib
import heapq
import http.client
import logging
import math
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.request import validate_host
from django.http.response import ResponseHeaders
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.module_loading import import_string

from newsroom.cache import CacheUnavailable, outage

logger = logging.getLogger("newsroom.pagecache")

#: The tag every cacheable page carries: purge it when something on every page
#: changes (the banner, the section navigation, the terms version).
SITE_TAG = "site"

#: The tag vocabulary (BRIEF): `story-<pk>`, `section-<pk>`, `tag-<pk>`,
#: `author-<pk>`, `product-<pk>` and these plain names.
TAGS = frozenset(
    {
        "home",
        "lists",  # every page that lists stories
        "feeds",
        "sitemaps",
        "terms",
        "shop",
        "banner",
        "corrections",
        "mostread",
        SITE_TAG,
    }
)
TAG_PATTERN = re.compile(r"(story|section|tag|author|product)-[0-9]+|[a-z]+")

#: `?page=` as the site spells it: 2 and up, no sign, no leading zero, ASCII
#: digits only (page 1 is the bare address).
PAGE_NUMBER = re.compile(r"[2-9]|[1-9][0-9]{1,8}")

SEQUENCE_KEY = "pagecache:sequence"
#: A purge sequence is `epoch * EPOCH_SPAN + n`: a counter that is missing
#: (never made, or lost with a cleared cache or a restarted Redis) is made
#: again at a new random epoch, so a number handed out before the loss never
#: comes round again, and nothing recorded in another epoch is trusted.
EPOCH_SPAN = 2**32
TAG_KEY = "pagecache:tag:{}"
LOCK_KEY = "pagecache:lock:{}"
# "page2": entries hold their headers ready to send (a ResponseHeaders); the
# new name keeps workers from reading entries stored in the older shape.
ENTRY_KEY = "pagecache:page2:{}"

#: Response headers that describe one delivery, not the page: never stored
#: as rendered (the entry's own ETag and xkey replace them; Cache-Control is
#: recomputed on every answer from the cache).
PER_RESPONSE_HEADERS = frozenset(
    {"cache-control", "etag", "expires", "last-modified", "age", "set-cookie", "xkey"}
)

#: Request headers that make a hit a conditional GET (RFC 9110, section 13.1).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _check_tags(tags: Iterable[str]) -> frozenset[str]:
    tags = frozenset(tags)
    for tag in tags:
        if not TAG_PATTERN.fullmatch(tag):
            raise ValueError(f"{tag!r} is not a cache tag (see newsroom.pagecache.TAGS)")
    return tags


# --- Declaring pages -------------------------------------------------------------


@dataclass(frozen=True)
class PagePolicy:
    """What a cacheable view declared: its query parameters and its fixed tags.

    `query` maps a parameter name to the values it accepts as canonical: a
    compiled pattern (matched in full) or a function `str -> bool`.
    """

    query: Mapping[str, re.Pattern | Callable[[str], bool]]
    tags: frozenset[str]

    def canonical_query(self, query: QueryDict) -> str | None:
        """The declared parameters of `query`, sorted and encoded, or None when
        one of them has a non-canonical value (or several values)."""
        kept = []
        for name, accepts in sorted(self.query.items()):
            values = query.getlist(name)
            if not values:
                continue
            if len(values) > 1:
                return None
            value = values[0]
            ok = accepts.fullmatch(value) if isinstance(accepts, re.Pattern) else accepts(value)
            if not ok:
                return None
            kept.append((name, value))
        return urlencode(kept)


def cacheable(
    *,
    query: Mapping[str, re.Pattern | Callable[[str], bool]] | None = None,
    tags: Iterable[str] = (),
):
    """Declare a view (function, class-based view or Feed class) cacheable.

    `query` names the parameters that change the page and how each is spelled;
    every other parameter is dropped before the view runs. `tags` are cache tags
    every response of the view carries (add per-object ones with
    `tag_response`). Only declared views are ever stored.
    """
    policy = PagePolicy(query=dict(query or {}), tags=_check_tags(tags) | {SITE_TAG})

    def decorate(view):
        if isinstance(view, type):
            view.page_cache_policy = policy
            return view

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.page_cache_policy = policy
        return wrapper

    return decorate


def policy_of(view: Any) -> PagePolicy | None:
    """The `PagePolicy` a resolved view declared, or None."""
    policy = getattr(view, "page_cache_policy", None)
    if policy is None:
        policy = getattr(getattr(view, "view_class", None), "page_cache_policy", None)
    return policy


def tag_response(response: HttpResponse, tags: Iterable[str]) -> HttpResponse:
    """Add cache tags to `response` (its `xkey` header, our entry); returns it.

    Raises ValueError for a name that is not a tag (see `TAGS`).
    """
    response.cache_tags = getattr(response, "cache_tags", frozenset()) | _check_tags(tags)
    return response


def tag_request(request: HttpRequest, tags: Iterable[str]) -> None:
    """Add cache tags to whatever response answers `request`: for context
    processors and shared fragments, which never see the response."""
    request.cache_tags = getattr(request, "cache_tags", frozenset()) | _check_tags(tags)


def cache_tags(*tags: str):
    """View decorator: every response of the view carries `tags`."""
    checked = _check_tags(tags)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return tag_response(view(request, *args, **kwargs), checked)

        return wrapper

    return decorate


def may_be_cached(request: HttpRequest) -> bool:
    """Whether the response to `request` may be shared at all: the page cache is
    on and the visitor carries no session. Lets callers of `cache_until` skip
    the work of finding a time that cannot matter."""
    return settings.PAGE_CACHE_SECONDS > 0 and settings.SESSION_COOKIE_NAME not in request.COOKIES


def cache_until(request: HttpRequest, when: datetime.datetime | None) -> None:
    """Cap how long the response to `request` may be cached, in every layer, at
    `when` (an aware datetime; None changes nothing). The earliest cap wins; a
    cap in the past means the response is not cached at all. Callable from
    views and context processors."""
    if when is None:
        return
    moment = when.timestamp()
    current = getattr(request, "page_cache_until", None)
    request.page_cache_until = moment if current is None else min(current, moment)


# --- Shared fragments -------------------------------------------------------------

FRAGMENT_KEY = "pagecache:fragment:{}"


def fragment(
    name: str,
    *,
    tags: Iterable[str],
    build: Callable[[], Any],
    seconds: int = 3600,
    still_good: Callable[[Any], bool] | None = None,
    tags_of: Callable[[Any], Iterable[str]] | None = None,
):
    """`build()`'s value, shared by every worker and kept until one of `tags` is
    purged (or `seconds` pass): for pieces many pages show (the home page's
    section blocks, the header's sections). The value must pickle.
    `tags_of(value)`, when given, names more tags once the value is built
    (the stories a list turned out to hold).

    Checked like a page (the purge sequence, then the tags' versions), so a
    purge that races with `build()` is never kept. `still_good(value)`, when
    given, can reject a stored value (say, a time that has passed). With the
    cache down, or SHARED_FRAGMENTS off (DEBUG), it just calls `build()`.
    """
    if not settings.SHARED_FRAGMENTS:
        return build()
    tags = _check_tags(tags) | {SITE_TAG}
    key = FRAGMENT_KEY.format(name)
    try:
        sequence = purge_sequence()
        stored = caches["pages"].get(key)
        if stored is not None and (still_good is None or still_good(stored[2])):
            stored_sequence, stored_tags, value = stored
            if not_purged_since(stored_sequence, stored_tags, sequence):
                return value
    except Exception as error:
        _cache_failed(error)
        return build()
    value = build()
    if tags_of is not None:
        tags |= _check_tags(tags_of(value))
    try:
        caches["pages"].set(key, (sequence, tags, value), seconds)
    except Exception as error:
        _cache_failed(error)
    return value


def site_url_is_allowed() -> bool:
    """Whether SITE_URL's host is one ALLOWED_HOSTS lets through (else the site
    is misconfigured, and pages keep the host each request asked on)."""
    return validate_host(_site(settings.SITE_URL).hostname or "", settings.ALLOWED_HOSTS)


def on_site_url(request: HttpRequest) -> HttpRequest:
    """A copy of `request` as if asked for on SITE_URL (scheme, host and port),
    for rendering what is shared between readers whatever host they asked on:
    absolute links in it then name the site's canonical address, and a
    `Host: localhost:<any port>` cannot make a copy of its own. `request` itself
    is unchanged; it is returned as it is if SITE_URL's host is not allowed."""
    if not site_url_is_allowed():
        return request
    shared = copy.copy(request)
    shared.__dict__.pop("_current_scheme_host", None)  # a cached_property of `request`
    shared.META = dict(request.META)
    if hasattr(request, "environ"):  # a WSGIRequest reads its scheme from here
        shared.environ = shared.META
    _point_at_site_url(shared.META)
    return shared


def _point_at_site_url(meta: dict) -> None:
    site = _site(settings.SITE_URL)
    meta["HTTP_HOST"] = site.netloc
    meta["wsgi.url_scheme"] = site.scheme
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        meta[header] = secure_value if site.scheme == "https" else "http"


# --- The purge sequence -----------------------------------------------------------


def purge_sequence() -> int:
    """The purge sequence now (see "How entries are checked"): an int, never 0.

    Makes the counter at a new epoch when it is missing. Raises what the cache
    raises when it cannot answer (`CacheUnavailable` from the tolerant
    backends, whose reads answer a miss while the cache is down).
    """
    meta = caches["default"]
    sequence = meta.get(SEQUENCE_KEY)
    if sequence is None:
        meta.add(SEQUENCE_KEY, _new_epoch(), timeout=None)
        sequence = meta.get(SEQUENCE_KEY)
        if sequence is None:
            raise CacheUnavailable("the cache did not keep the purge sequence")
    return sequence


def _new_epoch() -> int:
    # Below 2**62: a 64-bit signed integer in Redis and SQLite, with room for
    # EPOCH_SPAN purges.
    return (1 + secrets.randbelow(2**30 - 1)) * EPOCH_SPAN


def not_purged_since(recorded: int, tags: Iterable[str], sequence: int) -> bool:
    """Whether what was recorded at purge sequence `recorded` (read before it
    was rendered) and shows `tags` is still good at `sequence` (now).

    Good when the sequence has not moved, or when it moved within the same
    epoch and none of `tags` was purged after `recorded`. Anything of another
    epoch, or ahead of the counter, is not trusted: the counter was lost.
    """
    if recorded == sequence:
        return True
    epoch = sequence // EPOCH_SPAN
    if recorded // EPOCH_SPAN != epoch or recorded > sequence:
        return False
    versions = caches["default"].get_many([TAG_KEY.format(tag) for tag in tags])
    return all(
        version // EPOCH_SPAN == epoch and version <= recorded for version in versions.values()
    )


# --- Purging ---------------------------------------------------------------------


def purge(tags: Iterable[str]) -> None:
    """Drop every cached page carrying any of `tags`, here and in the front cache.

    Runs when the current transaction commits (at once outside one), so no
    reader re-caches the old page before the change is visible. Never raises:
    a cache or front cache that is down is logged and retried in the background.
    """
    try:
        tags = _check_tags(tags)
    except ValueError:
        logger.exception("purge() was given a name that is not a cache tag")
        return
    if tags:
        transaction.on_commit(functools.partial(_purge_now, tags), robust=True)


def page_cache_clear() -> None:
    """Make every cached page stale at once (every page carries the `site` tag)."""
    purge([SITE_TAG])


def _purge_now(tags: frozenset[str]) -> None:
    if not _purge_own_cache(tags):
        _purge_queue().add(_OwnCacheTarget(), tags)
    for target in _front_cache_targets():
        _purge_queue().add(target, tags)


def _purge_own_cache(tags: frozenset[str]) -> bool:
    """Record a purge of `tags` in our cache; False when the cache is down."""
    meta = caches["default"]
    try:
        try:
            sequence = meta.incr(SEQUENCE_KEY)
        except ValueError:
            # First purge ever, or the counter was lost: a new epoch, so no
            # entry recorded before can look current.
            meta.add(SEQUENCE_KEY, _new_epoch(), timeout=None)
            sequence = meta.incr(SEQUENCE_KEY)
        meta.set_many({TAG_KEY.format(tag): sequence for tag in tags}, timeout=None)
    except Exception as error:
        _cache_failed(error)
        return False
    _cache_worked()
    return True


class _OwnCacheTarget:
    name = "page cache"

    def send(self, tags: frozenset[str]) -> bool:
        return _purge_own_cache(tags)


class VarnishPurger:
    """Purges the front cache: `PURGE /` with `xkey-purge: <tags>` (space-separated,
    Varnish's xkey vmod) to each URL in FRONT_CACHE_PURGE_URLS.

    A 2xx answer counts as done; anything else (refused, timeout, 5xx) is
    retried after 1, 5, 30 and 120 seconds and then logged as given up. The
    requests run on a background thread, so an editor's save never waits.
    """

    timeout = 2.0

    def __init__(self, urls: Iterable[str]) -> None:
        self.urls = list(urls)

    def targets(self) -> list[_VarnishTarget]:
        return [_VarnishTarget(url, self.timeout) for url in self.urls]


class _VarnishTarget:
    def __init__(self, url: str, timeout: float) -> None:
        self.name = url
        self.url = urlsplit(url)
        self.timeout = timeout

    def send(self, tags: frozenset[str]) -> bool:
        connection_class = (
            http.client.HTTPSConnection
            if self.url.scheme == "https"
            else http.client.HTTPConnection
        )
        connection = connection_class(self.url.netloc, timeout=self.timeout)
        try:
            connection.request(
                "PURGE", self.url.path or "/", headers={"xkey-purge": " ".join(sorted(tags))}
            )
            status = connection.getresponse().status
        except OSError as error:
            logger.warning("Front cache purge of %s at %s failed: %s", tags, self.name, error)
            return False
        finally:
            connection.close()
        if 200 <= status < 300:
            return True
        logger.warning("Front cache purge at %s answered %s", self.name, status)
        return False


def _front_cache_targets() -> list:
    path = getattr(settings, "FRONT_CACHE_PURGER", "")
    urls = tuple(getattr(settings, "FRONT_CACHE_PURGE_URLS", ()))
    if not path or not urls:
        return []
    return _purger(path, urls).targets()


@functools.cache
def _purger(path: str, urls: tuple[str, ...]):
    return import_string(path)(urls)


class PurgeQueue:
    """Sends purges on a background thread and retries the ones that fail.

    One per process (a forked worker starts its own). `wait(timeout)` lets
    tests and management commands wait until nothing is pending.
    """

    delays = (1.0, 5.0, 30.0, 120.0)

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.jobs: list[tuple[float, int, int, Any, frozenset[str]]] = []
        self.counter = 0
        self.busy = 0
        self.condition = threading.Condition()
        self.thread = threading.Thread(target=self.run, name="pagecache-purge", daemon=True)
        self.thread.start()

    def add(self, target, tags: frozenset[str], attempt: int = 0, delay: float = 0.0) -> None:
        with self.condition:
            self.counter += 1
            heapq.heappush(
                self.jobs, (time.monotonic() + delay, self.counter, attempt, target, tags)
            )
            self.condition.notify_all()

    def run(self) -> None:
        while True:
            with self.condition:
                while not self.jobs or self.jobs[0][0] > time.monotonic():
                    timeout = self.jobs[0][0] - time.monotonic() if self.jobs else None
                    self.condition.wait(timeout)
                _, _, attempt, target, tags = heapq.heappop(self.jobs)
                self.busy += 1
            try:
                done = target.send(tags)
            except Exception:  # a purger must never kill the thread
                logger.exception("Purge of %s at %s raised", sorted(tags), target.name)
                done = False
            with self.condition:
                self.busy -= 1
                if not done:
                    if attempt < len(self.delays):
                        self.counter += 1
                        heapq.heappush(
                            self.jobs,
                            (
                                time.monotonic() + self.delays[attempt],
                                self.counter,
                                attempt + 1,
                                target,
                                tags,
                            ),
                        )
                    else:
                        logger.error(
                            "Gave up purging %s at %s after %d attempts",
                            sorted(tags),
                            target.name,
                            attempt + 1,
                        )
                self.condition.notify_all()

    def wait(self, timeout: float = 5.0) -> bool:
        """Block until no purge is due now or running; True if that happened in time."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while self.busy or (self.jobs and self.jobs[0][0] <= time.monotonic()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.condition.wait(left)
        return True

    def pending(self) -> int:
        """Purges waiting for a retry or running."""
        with self.condition:
            return len(self.jobs) + self.busy


_queue: PurgeQueue | None = None
_queue_lock = threading.Lock()


def _purge_queue() -> PurgeQueue:
    global _queue
    with _queue_lock:
        if _queue is None or _queue.pid != os.getpid():
            _queue = PurgeQueue()
        return _queue


def purges_pending() -> int:
    """How many purges wait for a retry or are being sent in this process."""
    return 0 if _queue is None else _queue.pending()


def purges_wait(timeout: float = 5.0) -> bool:
    """Wait until every purge due now has been sent (tests, management commands)."""
    return _queue is None or _queue.wait(timeout)


# --- Cache outages ----------------------------------------------------------------


def _cache_failed(error: Exception) -> None:
    outage.failed(error)


def _cache_worked() -> None:
    outage.worked()


def _cache_resting() -> bool:
    return outage.resting()


# --- The middleware ----------------------------------------------------------------


@dataclass
class Entry:
    """One stored page: a single body (sent in one write), its headers and tags.

    `sequence` is the purge sequence read before rendering (or the one it was
    last checked at); `fresh_until` and `stale_until` are Unix times.
    `headers` are made once, when the page is stored, with its ETag and xkey,
    ready to send: a hit copies them and adds `Cache-Control` (its `s-maxage`
    counts down). An entry may be shared by many answers (`RecentPages`), so
    nothing changes one once it is served.
    """

    sequence: int
    tags: frozenset[str]
    fresh_until: float
    stale_until: float
    status: int
    headers: ResponseHeaders
    body: bytes
    etag: str


FRESH, STALE, MISSING = "fresh", "stale", "missing"


class RecentPages:
    """The entries one worker served last, kept in its own memory: a hit on one
    of them costs one small cache read (the purge sequence) instead of two.

    Bounded in bytes (`PAGE_CACHE_WORKER_BYTES`, about each entry's body and
    headers; the least recently served go first; 0 keeps nothing). Entries are
    shared by every response made from them, so nothing may change one: see
    `PageCacheMiddleware.answer`. Trusted only while the shared purge sequence
    is the one the entry was checked at (`PageCacheMiddleware.lookup`), so a
    purge anywhere, by any worker or machine, retires every copy at once.
    """

    #: Bytes counted for an entry besides its body and headers (its object,
    #: tags and key), so that many tiny pages still fill the budget.
    OVERHEAD = 1024

    def __init__(self) -> None:
        self.entries: dict[str, tuple[Entry, int]] = {}  # in order of use, oldest first
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            found = self.entries.pop(key, None)
            if found is None:
                return None
            self.entries[key] = found  # now the most recently used
            return found[0]

    def put(self, key: str, entry: Entry, budget: int) -> None:
        """Keep `entry` under `key` within `budget` bytes, dropping the least
        recently used; an entry bigger than the budget is not kept."""
        size = (
            self.OVERHEAD
            + len(entry.body)
            + sum(len(name) + len(value) for name, value in entry.headers.items())
        )
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            if size > budget:
                return
            self.entries[key] = (entry, size)
            self.bytes += size
            while self.bytes > budget:
                oldest = next(iter(self.entries))
                self.bytes -= self.entries.pop(oldest)[1]


#: One per process: each worker's own (a forked worker starts with its
#: parent's, which the purge sequence checks like any other).
recent_pages = RecentPages()


def page_key(path: str, query: str = "") -> str:
    """The cache key of the page at `path` with the canonical `query` string, on
    the site's canonical host (SITE_URL): the same whatever Host or port asked."""
    site = _site(settings.SITE_URL)
    return ENTRY_KEY.format(hashlib.sha256(f"{site.netloc}{path}?{query}".encode()).hexdigest())


@functools.cache
def _site(url: str):
    """SITE_URL split into scheme, host and port (the key's canonical host)."""
    return urlsplit(url)


def _resolve_policy(urlconf: str, path: str) -> PagePolicy | None:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return policy_of(match.func)


#: Resolving a path against the site's URLconf costs 20-30 microseconds, about
#: as much as the rest of a hit, and a path always resolves to the same view:
#: each worker remembers the policy of its most asked-for paths.
#: Bounded in entries and in path length, so junk paths cannot grow a worker.
MEMO_PATH_LENGTH = 200
_memo_policy = functools.lru_cache(maxsize=1024)(_resolve_policy)


class PageCacheMiddleware:
    """Serves and stores whole pages for readers without a session; marks the rest.

    Placed right after WhiteNoise, so a hit costs about what a static file does.
    Every response it lets through gets a `Cache-Control` a shared cache can act
    on: `public, s-maxage=…` for a stored page, `private` for a session's page,
    `no-cache` for anything else it did not store.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        policy = self.policy_for(request)
        if policy is None:
            return self.finish_uncached(request, self.get_response(request))
        query_string = request.META.get("QUERY_STRING", "")
        canonical = policy.canonical_query(request.GET) if query_string else ""
        if canonical is not None and canonical != query_string:
            # The view sees exactly what the key holds: its declared parameters.
            request.GET = QueryDict(canonical)
            request.META["QUERY_STRING"] = canonical
        if canonical is None or not self.is_cacheable_request(request):
            return self.finish_uncached(request, self.get_response(request))

        key = page_key(request.path, canonical)
        sequence, entry, state = self.lookup(key)
        if state == FRESH:
            return self.answer(request, entry)
        if not self.lock(key):
            # Someone else is rendering this page: serve the stale copy, or
            # wait a little for theirs (no stampede when a popular page expires).
            if state == STALE:
                return self.answer(request, entry)
            waited = self.wait_for(key)
            if waited is not None:
                return self.answer(request, waited)
        try:
            return self.render_and_store(request, key, sequence, policy, stale=entry)
        finally:
            self.unlock(key)

    # -- deciding -----------------------------------------------------------------

    def policy_for(self, request: HttpRequest) -> PagePolicy | None:
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.path_info
        if len(path) > MEMO_PATH_LENGTH:
            return _resolve_policy(settings.ROOT_URLCONF, path)
        return _memo_policy(settings.ROOT_URLCONF, path)

    def is_cacheable_request(self, request: HttpRequest) -> bool:
        if settings.PAGE_CACHE_SECONDS <= 0:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES or _cache_resting():
            return False
        try:
            request.get_host()  # a bad Host gets its 400 from the view stack
        except DisallowedHost:
            return False
        return True

    @staticmethod
    def is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
        cache_control = response.get("Cache-Control", "")
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            response.status_code == 200
            # A CSP nonce used by this render (in the page or its policy) would
            # be handed to every reader of the shared copy, which defeats it.
            and not get_nonce(request)
            and not response.streaming
            and not response.cookies
            and not any(d in cache_control for d in ("private", "no-cache", "no-store"))
            # The key ignores the Cookie header: only the session cookie changes
            # a page, and requests carrying it never get here.
            and vary <= {"cookie"}
        )

    # -- the cache, which may be down ---------------------------------------------

    def lookup(self, key: str) -> tuple[int, Entry | None, str]:
        """(purge sequence now, entry, FRESH/STALE/MISSING); a sequence of -1
        means the cache could not answer.

        This worker's own copy (`recent_pages`) is used only while it is fresh
        and the sequence is exactly the one it was checked at: then no purge
        has happened since, anywhere. Otherwise the shared entry is read and
        checked, and kept as this worker's copy when fresh.
        """
        budget = settings.PAGE_CACHE_WORKER_BYTES
        try:
            sequence = purge_sequence()
            if budget > 0:
                entry = recent_pages.get(key)
                if (
                    entry is not None
                    and entry.sequence == sequence
                    and time.time() < entry.fresh_until
                ):
                    return sequence, entry, FRESH
            entry = caches["pages"].get(key)
            if entry is not None and entry.sequence != sequence:
                entry = self.still_valid(key, entry, sequence)
        except Exception as error:
            _cache_failed(error)
            return -1, None, MISSING
        _cache_worked()
        now = time.time()
        if entry is None or now >= entry.stale_until:
            return sequence, entry, MISSING
        if now >= entry.fresh_until:
            return sequence, entry, STALE
        if budget > 0:
            recent_pages.put(key, entry, budget)
        return sequence, entry, FRESH

    @staticmethod
    def still_valid(key: str, entry: Entry, sequence: int) -> Entry | None:
        if not not_purged_since(entry.sequence, entry.tags, sequence):
            return None
        # Checked up to `sequence`: remember it, so the next hit is cheap again.
        entry.sequence = sequence
        caches["pages"].set(key, entry, max(1, int(entry.stale_until - time.time())))
        return entry

    @staticmethod
    def lock(key: str) -> bool:
        try:
            return caches["default"].add(
                LOCK_KEY.format(key), os.getpid(), settings.PAGE_CACHE_LOCK_SECONDS
            )
        except Exception as error:
            _cache_failed(error)
            return True

    @staticmethod
    def unlock(key: str) -> None:
        try:
            caches["default"].delete(LOCK_KEY.format(key))
        except Exception as error:
            _cache_failed(error)

    def wait_for(self, key: str) -> Entry | None:
        """Wait up to PAGE_CACHE_LOCK_SECONDS for another worker's render."""
        deadline = time.monotonic() + settings.PAGE_CACHE_LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            _, entry, state = self.lookup(key)
            if state == FRESH:
                return entry
            try:
                if not caches["default"].has_key(LOCK_KEY.format(key)):
                    return None  # they gave up without storing: render ourselves
            except Exception:
                return None
        return None

    # -- rendering and answering --------------------------------------------------

    def render_and_store(
        self,
        request: HttpRequest,
        key: str,
        sequence: int,
        policy: PagePolicy,
        stale: Entry | None,
    ) -> HttpResponse:
        self.use_canonical_host(request)
        response = self.get_response(request)
        if response.status_code >= 500 and stale is not None:
            return self.answer(request, stale)  # stale beats an error page
        if sequence < 0 or not self.is_cacheable_response(request, response):
            return self.finish_uncached(request, response)
        now = time.time()
        fresh_until = now + settings.PAGE_CACHE_SECONDS
        stale_seconds = settings.PAGE_CACHE_STALE_SECONDS
        until = getattr(request, "page_cache_until", None)
        if until is not None and until < fresh_until:
            # Capped (a scheduled story is due): no stale copy past the cap either.
            fresh_until, stale_seconds = until, 0
        if fresh_until <= now:
            return self.finish_uncached(request, response)
        body = response.content
        etag = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        tags = (
            policy.tags
            | getattr(response, "cache_tags", frozenset())
            | getattr(request, "cache_tags", frozenset())
        )
        headers = ResponseHeaders(
            {
                name: value
                for name, value in response.items()
                if name.lower() not in PER_RESPONSE_HEADERS
            }
        )
        headers["ETag"] = etag
        headers["xkey"] = " ".join(sorted(tags))
        entry = Entry(
            sequence=sequence,
            tags=tags,
            fresh_until=fresh_until,
            stale_until=fresh_until + stale_seconds,
            status=response.status_code,
            headers=headers,
            body=body,
            etag=etag,
        )
        try:
            caches["pages"].set(key, entry, max(1, int(entry.stale_until - now)))
        except Exception as error:
            _cache_failed(error)
        else:
            if settings.PAGE_CACHE_WORKER_BYTES > 0:
                recent_pages.put(key, entry, settings.PAGE_CACHE_WORKER_BYTES)
        return self.answer(request, entry)

    @staticmethod
    def use_canonical_host(request: HttpRequest) -> None:
        """Render a page to share as if asked for on SITE_URL: absolute links in
        it are then the same whichever of the allowed hosts or ports asked."""
        if site_url_is_allowed():  # else misconfigured: keep the request's own (checked) host
            _point_at_site_url(request.META)

    def answer(self, request: HttpRequest, entry: Entry) -> HttpResponse:
        """A response from `entry`: its one body, public cache headers and tags."""
        response = HttpResponse(entry.body, status=entry.status)
        # The middleware above adds its headers to the response: give it a copy
        # of the entry's (shared with this worker's other answers: RecentPages).
        # A copy of the checked store, not ResponseHeaders(entry.headers), which
        # would check every header again: they were checked when stored.
        response.headers = ResponseHeaders({})
        response.headers._store = entry.headers._store.copy()
        now = time.time()
        # Rounded up: Varnish stores nothing for s-maxage=0, not even for grace.
        shared = max(0, math.ceil(entry.fresh_until - now))
        response["Cache-Control"] = ", ".join(
            [
                "public",
                f"max-age={min(settings.PAGE_BROWSER_SECONDS, shared)}",
                f"s-maxage={shared}",
                f"stale-while-revalidate={int(entry.stale_until - entry.fresh_until)}",
                f"stale-if-error={settings.PAGE_CACHE_STALE_IF_ERROR_SECONDS}",
            ]
        )
        if any(header in request.META for header in CONDITIONAL_HEADERS):
            return get_conditional_response(request, etag=entry.etag, response=response) or response
        return response

    @staticmethod
    def finish_uncached(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A response not stored here must not be stored by a shared cache either."""
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
            patch_cache_control(response, private=True)
        elif "Cache-Control" not in response:
            patch_cache_control(response, no_cache=True)
        return response
