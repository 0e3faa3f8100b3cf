import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone


@pytest.fixture(autouse=True)
def _clear_cache():
    """Overrides tests/conftest.py's: each test starts with an empty cache.

    On Redis, `cache.clear()` is FLUSHDB, which also empties the keys of the
    other xdist workers sharing the database (test settings give each worker
    its own KEY_PREFIX for that reason) and breaks their view-count tests
    mid-run. So on Redis only this process's keys are deleted.
    """
    _clear_own_keys()
    yield
    _clear_own_keys()


def _clear_own_keys() -> None:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def travel_to(monkeypatch):
    """Move `timezone.now()` (which every "is it live yet?" check reads) to another moment."""

    def travel(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return travel
