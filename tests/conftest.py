"""Fixtures shared by every app's tests."""

import datetime
import http.server
import threading

import pytest
from django.core.cache import caches
from django.utils import timezone

# The browser tests' fixtures (Chromium through Playwright, axe, CSP errors),
# available to every test like those below.
from tests.browser import (  # noqa: F401
    axe_violations,
    browser,
    csp_violations,
    page,
    superuser_page,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (page cache, view counts, rate limits)."""
    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


class FrontCache(http.server.BaseHTTPRequestHandler):
    """A stand-in Varnish that records the purges it receives."""

    purges: list[tuple[str, str, str]] = []

    def do_PURGE(self):
        self.purges.append((self.command, self.path, self.headers["xkey-purge"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def front_cache(settings):
    """A front cache on a free port, named in FRONT_CACHE_PURGE_URLS; yields the
    list of (method, path, xkey-purge) it received."""
    FrontCache.purges = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FrontCache)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    yield FrontCache.purges
    server.shutdown()
    server.server_close()


@pytest.fixture
def page_cache(settings):
    """Turn the page cache on (it is off in tests, as under DEBUG)."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.SITE_URL = "http://testserver"
    return settings


@pytest.fixture(autouse=True)
def _media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def travel_to(monkeypatch):
    """`travel_to(moment)` moves the clock that models, views and services read
    (`django.utils.timezone.now`) to the aware datetime `moment`."""

    def travel(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return travel


@pytest.fixture
def warm_site_caches(db):
    """
    Fill the site-wide lookups that every page makes once and then keeps in the
    cache (the current terms of use, the section navigation), so that a query
    budget measures the page itself in steady state. Warmed through a 404
    page: it renders base.html but is never stored by the page cache.
    """
    from django.test import Client

    Client().get("/__warm-site-caches__/")
