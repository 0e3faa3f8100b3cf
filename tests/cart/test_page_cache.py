"""With the anonymous page cache on, one reader's cart never reaches another."""

import pytest
from django.test import Client

from tests.cart.factories import ProductFactory
from tests.cart.helpers import header_count

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(page_cache):
    return page_cache


def test_shoppers_count_never_reaches_a_stranger_and_back():
    product = ProductFactory()
    stranger, shopper = Client(), Client()
    # The stranger's visits fill the shared cache before and after the shopper's.
    assert header_count(stranger.get("/").content.decode()) == "0"

    shopper.post(f"/cart/add/{product.pk}/", {"quantity": "3"})

    assert header_count(shopper.get("/").content.decode()) == "3"
    assert header_count(stranger.get("/").content.decode()) == "0"
    assert header_count(Client().get("/").content.decode()) == "0"
    assert header_count(shopper.get("/").content.decode()) == "3"


def test_shoppers_cart_page_never_reaches_a_stranger():
    product = ProductFactory(name="Newsroom mug")
    stranger, shopper = Client(), Client()
    stranger.get("/cart/")
    shopper.post(f"/cart/add/{product.pk}/")

    shopper_page = shopper.get("/cart/").content.decode()
    stranger_page = stranger.get("/cart/").content.decode()

    assert "Newsroom mug" in shopper_page
    assert "Newsroom mug" not in stranger_page
    assert "Your cart is empty" in stranger_page


def test_empty_cart_page_is_shared_from_the_cache(django_assert_num_queries):
    first = Client().get("/cart/")

    with django_assert_num_queries(0):
        second = Client().get("/cart/")

    assert second.content == first.content
