"""The cart survives log-in and comes back, merged, at the next log-in."""

from http import HTTPStatus

import pytest
from django.test import Client

from cart.cart import Cart
from cart.models import SavedCart
from cart.services import cart_merge_on_login
from tests.cart.factories import ProductFactory
from tests.cart.helpers import session_cart, store_in_session
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client: Client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()


def log_out(client: Client) -> None:
    client.post("/accounts/logout/")


def add(client: Client, product, quantity: int = 1) -> None:
    client.post(f"/cart/add/{product.pk}/", {"quantity": str(quantity)})


def saved_lines(user) -> dict[int, int]:
    saved = SavedCart.objects.filter(user=user).first()
    return {line.product_id: line.quantity for line in saved.lines.all()} if saved else {}


def test_cart_lines_survive_log_in_through_the_login_page(client):
    user, product = UserFactory(), ProductFactory()
    add(client, product, 2)
    key_before = client.session.session_key

    log_in(client, user)

    assert client.session.session_key != key_before
    assert session_cart(client) == {str(product.pk): 2}


def test_signed_in_readers_changes_are_saved(client):
    user, kept, removed = UserFactory(), ProductFactory(), ProductFactory()
    log_in(client, user)

    add(client, kept, 2)
    add(client, removed)
    client.post(f"/cart/remove/{removed.pk}/")

    assert saved_lines(user) == {kept.pk: 2}


def test_log_out_empties_the_session_cart_but_keeps_the_saved_one(client):
    user, product = UserFactory(), ProductFactory()
    log_in(client, user)
    add(client, product, 2)

    log_out(client)

    assert not session_cart(client)
    assert saved_lines(user) == {product.pk: 2}


def test_earlier_cart_comes_back_and_merges_at_the_next_log_in(client):
    user = UserFactory()
    both, saved_only, anonymous_only = ProductFactory(), ProductFactory(), ProductFactory()
    log_in(client, user)
    add(client, both, 2)
    add(client, saved_only)
    log_out(client)
    add(client, both, 3)
    add(client, anonymous_only)

    log_in(client, user)

    expected = {str(both.pk): 5, str(saved_only.pk): 1, str(anonymous_only.pk): 1}
    assert session_cart(client) == expected
    assert client.session["cart_count"] == 7
    assert saved_lines(user) == {int(pk): quantity for pk, quantity in expected.items()}


def test_merged_quantities_stop_at_99(client):
    user, product = UserFactory(), ProductFactory()
    log_in(client, user)
    add(client, product, 60)
    log_out(client)
    add(client, product, 60)

    log_in(client, user)

    assert session_cart(client) == {str(product.pk): 99}


def test_merge_drops_saved_products_gone_off_sale_with_a_message(client):
    user, retired = UserFactory(), ProductFactory(name="Retired calendar")
    log_in(client, user)
    add(client, retired)
    log_out(client)
    type(retired).objects.filter(pk=retired.pk).update(is_active=False)

    log_in(client, user)

    assert session_cart(client) == {}
    assert saved_lines(user) == {}
    assert "Retired calendar is no longer available" in client.get("/cart/").content.decode()


def test_welcome_back_message_when_saved_items_return(client):
    user, product = UserFactory(), ProductFactory()
    log_in(client, user)
    add(client, product)
    log_out(client)

    log_in(client, user)

    assert "the items you saved earlier are in your cart again" in client.get("/").content.decode()


def test_log_in_without_the_login_page_also_brings_the_saved_cart_back(client):
    # The merge hangs on user_logged_in, which every log-in path sends.
    user, product = UserFactory(), ProductFactory()
    log_in(client, user)
    add(client, product, 2)
    log_out(client)

    client.force_login(user)

    assert session_cart(client) == {str(product.pk): 2}


def test_logging_in_again_as_the_same_reader_does_not_count_twice(shop_request):
    user, product = UserFactory(), ProductFactory()
    shop_request.user = user
    Cart(shop_request).add(product, 2)

    cart_merge_on_login(request=shop_request, user=user)
    cart_merge_on_login(request=shop_request, user=user)

    assert shop_request.session["cart"] == {str(product.pk): 2}
    assert saved_lines(user) == {product.pk: 2}


def test_merge_repairs_a_corrupt_session_cart(shop_request):
    user, product = UserFactory(), ProductFactory()
    shop_request.session["cart"] = {"abc": 1, str(product.pk): 2, "987654": 4}

    cart_merge_on_login(request=shop_request, user=user)

    assert shop_request.session["cart"] == {str(product.pk): 2}


def test_a_saved_cart_never_reaches_another_reader(client):
    owner, other, product = UserFactory(), UserFactory(), ProductFactory()
    log_in(client, owner)
    add(client, product, 4)
    log_out(client)

    log_in(client, other)

    assert session_cart(client) == {}


def test_a_stale_session_cart_is_not_saved_under_a_new_reader():
    reader, product = UserFactory(), ProductFactory()
    client = Client()
    store_in_session(client, cart={str(product.pk): 2, "987654": 1})

    log_in(client, reader)

    assert saved_lines(reader) == {product.pk: 2}
