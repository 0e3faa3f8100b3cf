"""
Writes that touch more than one row or more than one store.

View counting ("View counts" in the README's architecture section)
-------------------------------------------------------------------
The article page is served from the shared page cache, so a view is recorded
by a beacon request (see views.view_beacon), and recording it must not be a
database write: one hot story would otherwise serialise every reader on one
row. Instead:

* `view_record()` adds one to a per-story counter in the cache with an atomic
  `incr`. When the counter goes from nothing (or zero) to one, the story's id
  is appended to a *dirty log* so a flush can find it. The log is a sequence
  of cache keys numbered by an atomic `incr` on its head; the cache API has no
  sets, and this works alike on the local-memory cache and on Redis. A flush
  reads the log from its tail and marks what it read as processed.
* `view_counts_flush()` moves the pending counts to `Article.view_count` in
  batches of `F()` updates. It *claims* a count by decrementing the counter by
  exactly the amount it read, and writes only what it claimed. Views that
  arrive meanwhile stay in the counter for the next flush; a second flush
  running at the same time can claim only what the first did not (a claim
  that would take the counter below zero is handed back), so nothing is
  counted twice or lost. A lock (`cache.add` with a timeout) normally keeps
  flushes from overlapping at all; the arithmetic is what makes it safe when
  the lock times out under a slow flush.

A reader counts once per story per `VIEW_WINDOW_SECONDS`: `view_is_new()`
claims a key for (story, reader) with an atomic `cache.add` that expires with
the window, and only the request that wins it records a view. Reloads, and a
script POSTing in a loop from one browser, add nothing more until it expires.

The count shown to a reader is the database count plus the pending count.
If the process dies between claiming and writing, that batch's views are
lost (at most one interval's worth, never double-counted); if the database
write fails, the claims are handed back.
"""

import time
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from articles.models import Article

PENDING_KEY = "views:pending:{}"
LOG_HEAD_KEY = "views:log:head"
LOG_TAIL_KEY = "views:log:tail"
LOG_SLOT_KEY = "views:log:{}"
LOG_GAP_KEY = "views:log:gap:{}"
FLUSH_LOCK_KEY = "views:flush-lock"
FLUSH_DUE_KEY = "views:flush-due"
SEEN_KEY = "views:seen:{}:{}"

#: A reader's further views of a story within this many seconds are not counted.
VIEW_WINDOW_SECONDS = 30 * 60

#: How often a beacon may trigger a flush, in seconds.
FLUSH_INTERVAL = 60
#: A flush holding the lock longer than this is presumed dead.
FLUSH_LOCK_SECONDS = 120
#: A log slot whose id never arrived (its writer died between two cache calls)
#: is skipped after this long, so the log cannot stall for ever.
LOG_GAP_GRACE_SECONDS = 30
#: Log slots read per flush.
FLUSH_BATCH = 5000
#: A processed log slot is kept this long as a tombstone (see _mark_processed).
TOMBSTONE_SECONDS = 3600
PROCESSED = 0


def _incr(key: str, delta: int = 1) -> int:
    """Atomically add `delta` to `key`, creating it at `delta`; return the new value."""
    while True:
        try:
            return cache.incr(key, delta)  # the usual case: the counter exists
        except ValueError:
            pass
        if cache.add(key, delta, timeout=None):
            return delta
        # Someone else created it between our incr() and add(): incr again.


def _log_append(article_id: int) -> None:
    slot = _incr(LOG_HEAD_KEY)
    cache.set(LOG_SLOT_KEY.format(slot), article_id, timeout=None)


def view_is_new(*, article_id: int, reader: str) -> bool:
    """True the first time `reader` (an opaque key, see views.reader_key) views a
    story within VIEW_WINDOW_SECONDS, False on every repeat within it.

    `cache.add` is atomic on every backend, so of two simultaneous requests by
    the same reader exactly one is new.
    """
    return cache.add(SEEN_KEY.format(article_id, reader), 1, timeout=VIEW_WINDOW_SECONDS)


def view_record(*, article_id: int) -> int:
    """Count one view of a story; return its views not yet in the database."""
    pending = _incr(PENDING_KEY.format(article_id))
    if pending == 1:
        _log_append(article_id)
    return max(pending, 0)


def view_count_pending(*, article_id: int) -> int:
    return max(cache.get(PENDING_KEY.format(article_id)) or 0, 0)


def view_count_pending_many(article_ids: list[int]) -> dict[int, int]:
    keys = {PENDING_KEY.format(pk): pk for pk in article_ids}
    found = cache.get_many(list(keys))
    return {keys[key]: max(value or 0, 0) for key, value in found.items()}


# --- Flushing -------------------------------------------------------------------
# The steps are separate functions so tests can run two flushes interleaved in
# an adversarial order.


def _dirty_ids() -> tuple[set[int], int]:
    """Ids in the dirty log past the tail; also the new tail to store after the flush."""
    tail = cache.get(LOG_TAIL_KEY) or 0
    head = cache.get(LOG_HEAD_KEY) or 0
    slots = list(range(tail + 1, min(head, tail + FLUSH_BATCH) + 1))
    found = cache.get_many([LOG_SLOT_KEY.format(slot) for slot in slots])
    ids: set[int] = set()
    new_tail = tail
    for slot in slots:
        article_id = found.get(LOG_SLOT_KEY.format(slot))
        if article_id is None and not _gap_expired(slot):
            # Its writer has taken the slot number but not yet written the id.
            break
        if article_id:  # not a gap given up on, not already processed
            ids.add(article_id)
        new_tail = slot
    return ids, new_tail


def _gap_expired(slot: int) -> bool:
    first_seen = time.time()
    if cache.add(LOG_GAP_KEY.format(slot), first_seen, timeout=LOG_GAP_GRACE_SECONDS * 10):
        return False
    return time.time() - (cache.get(LOG_GAP_KEY.format(slot)) or first_seen) > LOG_GAP_GRACE_SECONDS


def _claim(article_ids: set[int]) -> dict[int, int]:
    """Take the pending views of these stories out of the cache; return what was taken."""
    claims: dict[int, int] = {}
    for article_id, seen in view_count_pending_many(list(article_ids)).items():
        if seen <= 0:
            continue
        key = PENDING_KEY.format(article_id)
        try:
            remaining = cache.decr(key, seen)
        except ValueError:
            continue  # evicted from the cache since we read it: nothing to claim
        claimed = seen
        if remaining < 0:
            # Another flush claimed part of `seen` first: hand back what we over-took.
            give_back = min(seen, -remaining)
            claimed -= give_back
            remaining = cache.incr(key, give_back)
        if remaining > 0:
            # Views arrived meanwhile without being logged (the counter never went
            # from zero to one for them): log the story again for the next flush.
            _log_append(article_id)
        if claimed:
            claims[article_id] = claimed
    return claims


def _write(claims: dict[int, int]) -> None:
    """Add the claimed views to the database: one UPDATE per distinct amount."""
    by_amount: dict[int, list[int]] = defaultdict(list)
    for article_id, amount in claims.items():
        by_amount[amount].append(article_id)
    with transaction.atomic():
        for amount, article_ids in by_amount.items():
            Article.objects.filter(pk__in=article_ids).update(view_count=F("view_count") + amount)


def _give_back(claims: dict[int, int]) -> None:
    for article_id, amount in claims.items():
        if _incr(PENDING_KEY.format(article_id), amount) == amount:
            _log_append(article_id)


def _mark_processed(old_tail: int, new_tail: int) -> None:
    # Tombstones rather than deletions: a flush that raced another one and
    # moved the tail backwards then reads these as done, not as gaps to wait on.
    cache.set_many(
        {LOG_SLOT_KEY.format(slot): PROCESSED for slot in range(old_tail + 1, new_tail + 1)},
        timeout=TOMBSTONE_SECONDS,
    )
    if (cache.get(LOG_TAIL_KEY) or 0) < new_tail:
        cache.set(LOG_TAIL_KEY, new_tail, timeout=None)


def _flush_unlocked() -> int:
    """The flush itself: safe to run concurrently (see the module docstring)."""
    total = 0
    # Stories logged again during this flush wait for the next one, so a
    # steady stream of views cannot keep one flush going for ever.
    stop_at = cache.get(LOG_HEAD_KEY) or 0
    while True:
        old_tail = cache.get(LOG_TAIL_KEY) or 0
        if old_tail >= stop_at:
            return total
        article_ids, new_tail = _dirty_ids()
        if new_tail == old_tail:
            return total
        claims = _claim(article_ids)
        try:
            _write(claims)
        except BaseException:
            _give_back(claims)
            raise
        _mark_processed(old_tail, new_tail)
        total += sum(claims.values())


def view_counts_flush() -> int:
    """Move pending view counts from the cache to the database; return how many views.

    Returns 0 without doing anything when another flush holds the lock.
    """
    if not cache.add(FLUSH_LOCK_KEY, 1, timeout=FLUSH_LOCK_SECONDS):
        return 0
    try:
        return _flush_unlocked()
    finally:
        cache.delete(FLUSH_LOCK_KEY)


def view_counts_flush_if_due() -> int:
    """Flush at most once per FLUSH_INTERVAL, whoever asks (the beacon does, on every view)."""
    if cache.add(FLUSH_DUE_KEY, 1, timeout=FLUSH_INTERVAL):
        return view_counts_flush()
    return 0
