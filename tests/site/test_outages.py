"""Dependencies that are down: the cache (pages render uncached, errors logged
once, limits fail closed with 503) and the database (503 with Retry-After in
the site's look, /healthz names it)."""

import logging
import socket
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import include, path

from newsroom.cache import outage

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent.parent


def raise_database_error(request):
    raise OperationalError("unable to open database file")


def raise_other_error(request):
    raise RuntimeError("a bug")


handler500 = "newsroom.views.server_error"
urlpatterns = [
    path("database-error/", raise_database_error),
    path("bug/", raise_other_error),
    path("", include("newsroom.urls")),
]


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def cache_down(settings):
    """Both cache aliases on a Redis that is not there."""
    location = f"redis://127.0.0.1:{closed_port()}/0"
    backend = {"BACKEND": "newsroom.cache.TolerantRedisCache", "LOCATION": location}
    settings.CACHES = {"default": dict(backend), "pages": {**backend, "KEY_PREFIX": "pages"}}
    outage.reset()
    yield
    outage.reset()


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_pages_render_uncached_while_the_cache_is_down(page_cache, cache_down, caplog):
    from tests.articles.factories import ArticleFactory

    story = ArticleFactory()
    reader = Client(raise_request_exception=False)
    caplog.set_level(logging.ERROR)

    answers = [reader.get(address) for address in ["/", story.get_absolute_url()] * 5]

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * 10
    assert story.headline in answers[0].content.decode()
    assert "public" not in answers[0]["Cache-Control"], "an uncached page claimed to be shared"
    outage_errors = [r for r in caplog.records if "cache is unavailable" in r.getMessage()]
    assert len(outage_errors) == 1, "the outage was logged per request, not once"


def test_log_in_fails_closed_with_503_while_the_cache_is_down(cache_down):
    from tests.factories import UserFactory

    UserFactory(email="reader@example.com", password="right-password-1")
    reader = Client(raise_request_exception=False)

    response = reader.post("/accounts/login/", {"login": "reader@example.com", "password": "wrong"})

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"]
    assert "Back in a moment" in response.content.decode()


def test_healthz_names_the_cache_when_it_is_down(cache_down):
    response = Client().get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.content.decode().splitlines() == [
        "unavailable: cache",
        "database: ok",
        "cache: unavailable",
    ]
    assert response["Retry-After"]


def test_healthz_reports_each_dependency_when_all_answer():
    response = Client().get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().splitlines() == ["ok", "database: ok", "cache: ok"]


def test_a_database_error_is_503_with_retry_after_in_the_sites_look(error_urls):
    response = Client(raise_request_exception=False).get("/database-error/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Back in a moment" in page
    assert 'class="site-header' in page  # the site's look, not a bare text error


def test_a_bug_is_still_a_500(error_urls):
    response = Client(raise_request_exception=False).get("/bug/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR


# --- The SQLite file is never created by accident (issue 13.13) ------------------

SERVE_MISSING_DATABASE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
os.environ["DATABASE_URL"] = "sqlite:///" + sys.argv[1]
os.environ["ALLOWED_HOSTS"] = "testserver"
from newsroom.wsgi import application
from django.test import Client
client = Client(raise_request_exception=False)
print(client.get("/healthz").status_code, client.get("/").status_code)
print(os.path.exists(sys.argv[1]))
"""


def test_web_server_never_creates_a_missing_sqlite_database(tmp_path):
    missing = tmp_path / "moved-away.sqlite3"

    result = subprocess.run(
        [sys.executable, "-c", SERVE_MISSING_DATABASE, str(missing)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.split() == ["503", "503", "False"], result.stderr[-2000:]
