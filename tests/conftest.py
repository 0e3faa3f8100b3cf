"""Fixtures shared by every app's tests."""

import datetime
import http.server
import os
import shutil
import threading

import pytest
from django.core.cache import caches
from django.utils import timezone


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


# --- Browser tests ---------------------------------------------------------------
# Playwright drives Debian's chromium package; `playwright install` cannot
# download browsers on our machines. In CI a missing browser is a failure, not
# a skip.

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it with apt-get.")
        pytest.skip(
            "chromium is not installed (apt-get install chromium) so browser tests cannot run"
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # refuses to run beside one unless told it is safe (it is: the loop only
    # talks to the browser).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core (shipped in axe-playwright-python) on a Playwright page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page) -> list[str]:
        results = axe.run(page)
        return [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in results.response["violations"]
        ]

    return run


@pytest.fixture
def csp_violations(page):
    """Console errors raised by the Content Security Policy on `page`."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors
