"""
Two instances of the site (issue 12.8): two gunicorn servers against one
PostgreSQL and one Redis, as on two machines. An unpublish on one takes the
story down on the other at once, view counts from both are summed exactly, and
a reader's cart follows them from one to the other. Ports 8122-8123.

Runs only when the test run itself uses PostgreSQL and Redis (the PostgreSQL +
Redis run: `DATABASE_URL=postgres://… CACHE_URL=redis://… make test`).
"""

import os
import re
import secrets
from http import HTTPStatus
from urllib.parse import urlsplit, urlunsplit

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

DATABASE_URL = os.environ.get("DATABASE_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and CACHE_URL.startswith("redis")),
    reason="two instances need one PostgreSQL and one Redis: set DATABASE_URL and CACHE_URL",
)

PORTS = (free_port(), free_port())

SEED_PRODUCT = """
from cart.models import Product
product = Product.objects.create(name="Newsroom mug", slug="mug", price="12.00")
print(product.pk)
"""


def postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture(scope="module")
def instances():
    """Two single-worker instances sharing a fresh PostgreSQL database and a
    Redis database of their own (the last of the four this run may use)."""
    name = f"instances_{secrets.token_hex(4)}"
    database = urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))
    server, _, number = CACHE_URL.rpartition("/")
    cache = f"{server}/{int(number or 0) + 3}"
    env = environment(
        DATABASE_URL=database,
        CACHE_URL=cache,
        SITE_URL=f"http://127.0.0.1:{PORTS[0]}",
        PAGE_CACHE_SECONDS="300",
    )
    postgres(f'CREATE DATABASE "{name}"')
    servers = []
    try:
        manage(env, code="from django.core.cache import cache; cache.clear()")
        manage(env, "migrate", "--noinput")
        pk, address = manage(env, code=SEED_STORY).split()
        product = int(manage(env, code=SEED_PRODUCT))
        servers = [Server(port, env, workers=1).start() for port in PORTS]
        yield servers, int(pk), address, product
    finally:
        for instance in servers:
            instance.stop()
        postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_reader_cart_follows_them_to_the_other_instance(instances):
    (one, other), _, _, product = instances
    _, headers, page = one.get("/shop/mug/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf = headers["Set-Cookie"].split(";")[0]

    status, answer_headers, _ = one.request(
        "POST",
        f"/cart/add/{product}/",
        body=f"csrfmiddlewaretoken={token}&quantity=2",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf,
            "Referer": f"http://127.0.0.1:{one.port}/shop/mug/",
        },
    )
    assert status == HTTPStatus.FOUND
    session = answer_headers["Set-Cookie"].split(";")[0]
    assert session.startswith("sessionid=")

    status, headers, cart = other.get("/cart/", Cookie=session)
    assert status == HTTPStatus.OK
    assert "Newsroom mug" in cart.decode()
    assert "private" in headers["Cache-Control"]


def test_view_counts_from_both_instances_are_summed_exactly(instances):
    (one, other), pk, _, _ = instances

    answers, stored = views_counted([one, other], pk)

    assert all(answer > 0 for answer in answers), answers
    assert stored == max(answers) == 40


def test_an_unpublish_on_one_instance_stops_the_other_at_once(instances):
    (one, other), _, address, _ = instances
    assert one.get(address)[0] == other.get(address)[0] == HTTPStatus.OK
    assert other.get(address)[0] == HTTPStatus.OK  # now from its cache

    manage(one.env, code=UNPUBLISH_STORY)  # an editor's save on the first instance

    assert other.get(address)[0] == HTTPStatus.GONE
    assert one.get(address)[0] == HTTPStatus.GONE
