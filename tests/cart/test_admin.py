from http import HTTPStatus

import pytest

from cart.models import Product
from tests.cart.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def test_product_list_can_be_searched_and_filtered(admin_client):
    ProductFactory(name="Newsroom mug")
    ProductFactory(name="Newsroom tote bag")

    response = admin_client.get("/admin/cart/product/", {"q": "mug", "is_active__exact": "1"})

    assert response.status_code == HTTPStatus.OK
    assert "Newsroom mug" in response.content.decode()
    assert "Newsroom tote bag" not in response.content.decode()


def test_add_product_page_fills_the_slug_from_the_name(admin_client):
    page = admin_client.get("/admin/cart/product/add/").content.decode()

    assert "data-prepopulated-fields" in page
    assert "&quot;dependency_ids&quot;: [&quot;#id_name&quot;]" in page


def test_take_off_sale_action_deactivates_the_selected_products(admin_client):
    chosen, other = ProductFactory(), ProductFactory()

    admin_client.post(
        "/admin/cart/product/",
        {"action": "take_off_sale", "_selected_action": [chosen.pk]},
    )

    assert list(Product.objects.active()) == [other]


def test_put_on_sale_action_activates_the_selected_products(admin_client):
    product = ProductFactory(is_active=False)

    admin_client.post(
        "/admin/cart/product/",
        {"action": "put_on_sale", "_selected_action": [product.pk]},
    )

    assert list(Product.objects.active()) == [product]


def test_saved_carts_are_read_only_in_the_admin(admin_client):
    response = admin_client.get("/admin/cart/savedcart/add/")

    assert response.status_code == HTTPStatus.FORBIDDEN
