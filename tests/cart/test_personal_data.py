"""The saved cart is part of the reader's "Download my data" (accounts asks CartConfig)."""

import json

import pytest
from django.apps import apps

from cart.models import SavedCart, SavedCartLine
from tests.cart.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return UserFactory(email="ada@example.com")


def save_cart(user, *lines):
    cart = SavedCart.objects.create(user=user)
    for name, quantity in lines:
        SavedCartLine.objects.create(
            cart=cart, product=ProductFactory(name=name), quantity=quantity
        )


def test_personal_data_lists_the_saved_cart_by_product_name(reader):
    save_cart(reader, ("Newsroom mug", 2), ("Digital subscription", 1))

    assert apps.get_app_config("cart").personal_data(reader) == {
        "saved_cart": [
            {"product": "Digital subscription", "quantity": 1},
            {"product": "Newsroom mug", "quantity": 2},
        ]
    }


def test_personal_data_of_a_reader_without_a_saved_cart_is_empty(reader):
    assert apps.get_app_config("cart").personal_data(reader) == {"saved_cart": []}


def test_personal_data_holds_only_the_readers_own_cart(reader):
    save_cart(UserFactory(), ("Newsroom tote bag", 1))

    assert apps.get_app_config("cart").personal_data(reader) == {"saved_cart": []}


def test_data_download_includes_the_saved_cart(client, reader):
    save_cart(reader, ("Newsroom mug", 2))
    client.force_login(reader)

    data = json.loads(client.get("/accounts/data/").content)

    assert data["cart"] == {"saved_cart": [{"product": "Newsroom mug", "quantity": 2}]}


def test_personal_data_costs_one_query_however_many_lines(reader, django_assert_num_queries):
    save_cart(reader, *[(f"Product {n}", 1) for n in range(10)])

    with django_assert_num_queries(1):
        apps.get_app_config("cart").personal_data(reader)
