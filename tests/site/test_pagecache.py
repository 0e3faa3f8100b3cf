"""The page cache's contract: canonical keys, tags and purges, HTTP caching headers,
capped lifetimes, and the front cache purger (newsroom/pagecache.py)."""

import datetime
import http.server
import logging
import socket
import threading
import time
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import timezone

from newsroom.pagecache import (
    PAGE_NUMBER,
    cache_until,
    cacheable,
    on_site_url,
    page_cache_clear,
    purge,
    purges_pending,
    purges_wait,
    recent_pages,
    tag_response,
)

pytestmark = pytest.mark.django_db

rendered: list[str] = []


@cacheable(query={"page": PAGE_NUMBER})
def listing(request):
    rendered.append(request.get_full_path())
    return HttpResponse(
        f"page {request.GET.get('page', '1')} of {request.build_absolute_uri('/')}"
        f" seen {sorted(request.GET)}"
    )


@cacheable(tags=["lists"])
def tagged(request, pk):
    rendered.append(request.path)
    return tag_response(HttpResponse(f"story {pk}"), [f"story-{pk}"])


@cacheable()
def until(request, seconds):
    rendered.append(request.path)
    cache_until(request, timezone.now() + datetime.timedelta(seconds=seconds))
    cache_until(request, None)  # no cap: changes nothing
    return HttpResponse("capped")


def undeclared(request):
    rendered.append(request.path)
    return HttpResponse("not declared")


urlpatterns = [
    path("listing/", listing),
    path("tagged/<int:pk>/", tagged),
    path("until/<int:seconds>/", until),
    path("undeclared/", undeclared),
    path("", include("newsroom.urls")),
]


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = __name__
    rendered.clear()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_page_cache_is_off_in_tests_unless_asked_for():
    Client().get("/listing/")
    Client().get("/listing/")

    assert rendered == ["/listing/", "/listing/"]


# --- Canonical keys ---------------------------------------------------------------


def test_tracking_and_unknown_parameters_share_one_entry(page_cache):
    first = Client().get("/listing/?utm_source=mail&fbclid=abc")
    for n in range(50):
        Client().get(f"/listing/?ref={n}&junk{n}=x")

    assert rendered == ["/listing/"], "undeclared parameters made a new entry"
    assert "seen []" in first.content.decode(), "the view saw an undeclared parameter"


def test_a_junk_query_flood_adds_one_entry_per_path(page_cache):
    page_cache.PAGE_CACHE_SECONDS = 3600  # a slow machine must not see the entry expire
    for n in range(1000):
        Client().get(f"/listing/?{n}={n}")
        Client().get(f"/listing/?page=2&x={n}")

    assert rendered == ["/listing/", "/listing/?page=2"]


@pytest.mark.parametrize("spelling", ["02", "+2", "\u0662", "\uff12", "0_2", "2 ", "1", ""])
def test_non_canonical_values_of_a_declared_parameter_are_never_stored(page_cache, spelling):
    for _ in range(3):
        Client().get("/listing/", {"page": spelling})

    assert len(rendered) == 3


def test_repeated_declared_parameter_is_never_stored(page_cache):
    Client().get("/listing/?page=2&page=3")
    Client().get("/listing/?page=2&page=3")

    assert len(rendered) == 2


def test_the_key_uses_the_canonical_host_not_the_requests_port(page_cache, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    first = Client().get("/listing/", HTTP_HOST="127.0.0.1:8123")
    Client().get("/listing/", HTTP_HOST="127.0.0.1:9999")
    Client().get("/listing/")

    assert rendered == ["/listing/"]
    # What is shared was rendered for the canonical site, not for the port that asked.
    assert "of http://testserver/" in first.content.decode()


def test_undeclared_views_are_never_stored(page_cache):
    Client().get("/undeclared/")
    response = Client().get("/undeclared/")

    assert rendered == ["/undeclared/", "/undeclared/"]
    assert "no-cache" in response["Cache-Control"]


# --- Each worker's own copies ------------------------------------------------------


def test_a_hit_on_a_page_this_worker_served_reads_only_the_purge_sequence(page_cache, monkeypatch):
    Client().get("/listing/")
    pages = caches["pages"]
    read = pages.get
    reads = []
    monkeypatch.setattr(pages, "get", lambda key, *args: reads.append(key) or read(key, *args))

    answers = [Client().get("/listing/") for _ in range(3)]

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * 3
    assert rendered == ["/listing/"]
    assert reads == [], "a hit read the page from the shared cache, not this worker's copy"


def test_a_workers_copies_stay_within_their_byte_budget(page_cache):
    page_cache.PAGE_CACHE_WORKER_BYTES = 20_000
    for number in range(2, 40):
        Client().get("/listing/", {"page": number})

    assert 0 < recent_pages.bytes <= 20_000
    assert len(recent_pages.entries) < 38


# --- HTTP caching ---------------------------------------------------------------


def test_anonymous_cached_page_tells_shared_caches_how_long(page_cache):
    for response in (Client().get("/listing/"), Client().get("/listing/")):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert "public" in directives
        assert "s-maxage=60" in directives or "s-maxage=59" in directives
        assert "max-age=0" in directives
        assert "stale-while-revalidate=60" in directives
        assert any(d.startswith("stale-if-error=") for d in directives)
        assert response["ETag"].startswith('"')
        assert not response.cookies


def test_conditional_get_answers_304(page_cache):
    etag = Client().get("/listing/")["ETag"]

    again = Client().get("/listing/", HTTP_IF_NONE_MATCH=etag)
    changed = Client().get("/listing/", HTTP_IF_NONE_MATCH='"something-else"')

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    assert again["ETag"] == etag
    assert changed.status_code == HTTPStatus.OK


def test_a_page_rendered_for_a_session_is_private(page_cache, settings):
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "abc"

    response = reader.get("/listing/")

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "xkey" not in response


def test_tags_reach_the_front_cache_in_an_xkey_header(page_cache):
    response = Client().get("/tagged/7/")

    assert set(response["xkey"].split(" ")) == {"story-7", "lists", "site"}


# --- Tags and purges ---------------------------------------------------------------


def test_purge_drops_exactly_the_pages_with_the_tag(page_cache, after_commit):
    Client().get("/tagged/1/")
    Client().get("/tagged/2/")

    with after_commit():
        purge(["story-1"])
    Client().get("/tagged/1/")
    Client().get("/tagged/2/")

    assert rendered == ["/tagged/1/", "/tagged/2/", "/tagged/1/"]


def test_purge_waits_for_the_commit(page_cache, django_capture_on_commit_callbacks):
    Client().get("/tagged/1/")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge(["story-1"])
        Client().get("/tagged/1/")  # before the commit: the old page is still right

    assert rendered == ["/tagged/1/"]
    assert len(callbacks) == 1


def test_site_tag_and_clear_drop_every_page(page_cache, after_commit):
    Client().get("/tagged/1/")
    Client().get("/listing/")

    with after_commit():
        page_cache_clear()
    Client().get("/tagged/1/")
    Client().get("/listing/")

    assert rendered == ["/tagged/1/", "/listing/"] * 2


def test_a_lost_purge_sequence_never_comes_round_to_an_old_number(page_cache, after_commit):
    with after_commit():
        purge(["lists"])
        purge(["lists"])
    Client().get("/tagged/1/")  # stored at the sequence two purges made
    caches["default"].clear()  # the counter and the tags' versions are lost, not the page

    with after_commit():
        purge(["story-1"])  # the story changed...
        purge(["lists"])  # ...and the counter moved as often as before the loss
    Client().get("/tagged/1/")

    assert rendered == ["/tagged/1/", "/tagged/1/"], "a page of the lost counter was trusted"


def test_purge_refuses_names_that_are_not_tags_without_raising(page_cache, caplog):
    purge(["Story 1"])

    assert "not a cache tag" in caplog.text


def test_cache_until_caps_the_lifetime_everywhere(page_cache):
    response = Client().get("/until/30/")  # capped in 30 s, below PAGE_CACHE_SECONDS
    Client().get("/until/30/")
    now = Client().get("/until/0/")  # capped now: not stored at all
    Client().get("/until/0/")

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "stale-while-revalidate=0" in directives, "a capped page may not be served stale"
    assert int(next(d for d in directives if d.startswith("s-maxage="))[9:]) <= 30
    assert rendered.count("/until/30/") == 1
    assert "public" not in now["Cache-Control"]
    assert rendered.count("/until/0/") == 2


# --- The front cache purger -------------------------------------------------------


def test_purge_reaches_the_front_cache_after_commit(page_cache, front_cache, after_commit):
    with after_commit():
        purge(["story-3", "lists"])
        assert front_cache == []  # nothing before the commit

    assert purges_wait(5)
    assert front_cache == [("PURGE", "/", "lists story-3")]


def test_a_front_cache_that_is_down_is_logged_and_retried_until_it_answers(
    settings, after_commit, caplog
):
    from tests.conftest import FrontCache

    FrontCache.purges = []
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens there now
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    caplog.set_level(logging.WARNING, logger="newsroom.pagecache")

    with after_commit():
        purge(["story-4"])  # returns at once: the editor's save never waits
    purges_wait(5)
    assert "story-4" in caplog.text
    assert purges_pending() == 1

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), FrontCache)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        deadline = time.monotonic() + 10
        while not FrontCache.purges and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()
    assert FrontCache.purges == [("PURGE", "/", "story-4")]


def test_on_site_url_is_a_copy_asked_on_the_site_address(settings):
    settings.ALLOWED_HOSTS = ["localhost", "news.example"]
    settings.SITE_URL = "https://news.example"
    request = RequestFactory().get("/story/", HTTP_HOST="localhost:20001")
    request.build_absolute_uri("/")  # caches the request's own scheme and host

    shared = on_site_url(request)

    assert shared.build_absolute_uri("/a/") == "https://news.example/a/"
    assert shared.get_host() == "news.example"
    assert request.build_absolute_uri("/a/") == "http://localhost:20001/a/"
    assert request.get_host() == "localhost:20001"


def test_on_site_url_keeps_the_request_when_the_site_address_is_not_allowed(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.SITE_URL = "https://news.example"
    request = RequestFactory().get("/story/", HTTP_HOST="localhost")

    assert on_site_url(request) is request
