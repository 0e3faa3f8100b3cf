"""The cart costs no query for the many readers whose cart is empty."""

from http import HTTPStatus

import pytest

from tests.cart.factories import ProductFactory
from tests.cart.helpers import header_count, store_in_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Measure the rendering itself, not a page served from the cache.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _warm(warm_site_caches):
    """Budgets below are the cart's own, with the site-wide caches warm."""


def test_empty_cart_page_costs_no_query_without_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/cart/")

    assert "Your cart is empty" in response.content.decode()


def test_header_count_costs_no_query_without_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        # A page that renders the header and queries nothing of its own.
        response = client.get("/no-such-page/")

    assert header_count(response.content.decode()) == "0"


def test_empty_cart_page_costs_only_the_session_load(client, django_assert_num_queries):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/")
    client.post(f"/cart/remove/{product.pk}/")
    client.get("/")  # shows (and so clears) the messages left by those changes

    # The session is read from the cache (cached_db sessions): no query at all.
    with django_assert_num_queries(0):
        response = client.get("/cart/")

    assert "Your cart is empty" in response.content.decode()


def test_header_count_costs_only_the_session_load(client, django_assert_num_queries):
    store_in_session(client, cart={"1": 2, "2": 3}, cart_count=5)

    # A page that renders the header and queries nothing of its own; the
    # session is read from the cache (cached_db sessions).
    with django_assert_num_queries(0):
        response = client.get("/no-such-page/")

    assert header_count(response.content.decode()) == "5"


@pytest.mark.parametrize("lines", [1, 12])
def test_cart_page_queries_do_not_grow_with_lines(client, django_assert_max_num_queries, lines):
    for product in ProductFactory.create_batch(lines):
        client.post(f"/cart/add/{product.pk}/")
    client.get("/")  # shows (and so clears) the messages left by those changes

    # The session, then every product of the cart in one query.
    with django_assert_max_num_queries(2):
        response = client.get("/cart/")

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("products", [1, 12])
def test_shop_queries_do_not_grow_with_products(client, django_assert_max_num_queries, products):
    ProductFactory.create_batch(products)

    with django_assert_max_num_queries(1):
        response = client.get("/shop/")

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("lines", [1, 12])
def test_signed_in_cart_page_queries_do_not_grow_with_lines(
    client, django_assert_max_num_queries, lines
):
    client.force_login(UserFactory())
    for product in ProductFactory.create_batch(lines):
        client.post(f"/cart/add/{product.pk}/")
    client.get("/")

    # The session, the reader, then every product of the cart in one query.
    with django_assert_max_num_queries(3):
        response = client.get("/cart/")

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("lines", [1, 12])
def test_signed_in_change_queries_do_not_grow_with_lines(
    client, django_assert_max_num_queries, lines
):
    client.force_login(UserFactory())
    products = ProductFactory.create_batch(lines)
    for product in products:
        client.post(f"/cart/add/{product.pk}/")

    # Saving the cart for the reader rewrites their saved lines in a fixed number of queries.
    with django_assert_max_num_queries(13):
        response = client.post(f"/cart/update/{products[0].pk}/", {"quantity": "2"})

    assert response.status_code == HTTPStatus.FOUND
