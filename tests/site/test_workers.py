"""
Several gunicorn workers on one machine share one cache by default (issue
12.2): an unpublish in one process takes the page down in every worker, rate
limits count across workers, and view counts are summed exactly. Real servers
on ports 8120-8121, each stopped by its pid.
"""

import re
from http import HTTPStatus

import pytest

from tests.site.servers import (
    SEED_STORY,
    UNPUBLISH_STORY,
    Server,
    environment,
    free_port,
    manage,
    views_counted,
)

PORT = free_port()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated SQLite site with one story, served by gunicorn with 2 workers
    and the default cache (no CACHE_URL: the shared on-disk cache)."""
    folder = tmp_path_factory.mktemp("site")
    env = environment(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        CACHE_DIR=str(folder / "cache"),
        SITE_URL=f"http://127.0.0.1:{PORT}",
        PAGE_CACHE_SECONDS="300",
    )
    manage(env, "migrate", "--noinput")
    pk, address = manage(env, code=SEED_STORY).split()
    server = Server(PORT, env, workers=2).start()
    try:
        yield server, int(pk), address
    finally:
        server.stop()


def test_an_unpublish_in_one_process_takes_the_page_down_in_every_worker(site):
    server, _, address = site
    before = [server.get(address)[0] for _ in range(20)]
    assert before == [HTTPStatus.OK] * 20

    manage(server.env, code=UNPUBLISH_STORY)  # another process: an editor's save

    after = [server.get(address)[0] for _ in range(20)]
    assert after == [HTTPStatus.GONE] * 20  # the story was here: 410 (issue 9.3)


def test_view_counts_from_every_worker_are_summed_exactly(site):
    server, pk, _ = site

    answers, stored = views_counted([server], pk)

    assert all(answer > 0 for answer in answers), answers
    assert stored == max(answers) == 40


def test_log_in_limits_count_across_workers(site):
    server, _, _ = site
    manage(
        server.env,
        code="""
from accounts.models import User
User.objects.create_user(email="reader@example.com", password="right-password-1")
""",
    )
    refused = []
    for _ in range(7):
        _status, headers, body = server.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        cookie = headers["Set-Cookie"].split(";")[0]
        status, page = server.form_post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.decode(),
                "login": "reader@example.com",
                "password": "wrong-password",
            },
            cookies=cookie,
        )
        assert status in (HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS)
        refused.append("Too many failed login attempts" in page)

    # Five wrong passwords per account (ACCOUNT_RATE_LIMITS), then refused,
    # whichever worker answered each attempt.
    assert refused == [False] * 5 + [True] * 2
