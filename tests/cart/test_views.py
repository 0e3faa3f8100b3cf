"""Every cart operation through the test client, as a reader would do it."""

from decimal import Decimal
from html.parser import HTMLParser
from http import HTTPStatus
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cart.models import Product
from tests.cart.factories import ProductFactory
from tests.cart.helpers import header_count, session_cart

pytestmark = pytest.mark.django_db


def add(client, product, **data):
    return client.post(f"/cart/add/{product.pk}/", data)


# --- Shop ------------------------------------------------------------------------


def test_shop_lists_products_on_sale_with_add_to_cart_forms(client):
    product = ProductFactory(name="Newsroom tote bag", price=Decimal("18.00"))

    page = client.get("/shop/").content.decode()

    assert "Newsroom tote bag" in page
    assert "€18.00" in page
    assert f'action="/cart/add/{product.pk}/"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_shop_leaves_out_products_off_sale(client):
    ProductFactory(name="Retired calendar", is_active=False)

    assert "Retired calendar" not in client.get("/shop/").content.decode()


def test_product_page_shows_the_product_and_a_quantity_field(client):
    product = ProductFactory(name="Newsroom mug")

    response = client.get(product.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert "<h1" in response.content.decode()
    assert 'name="quantity"' in response.content.decode()


@pytest.mark.parametrize("slug", ["no-such-product", "retired"])
def test_product_page_is_404_for_unknown_or_retired_products(client, slug):
    ProductFactory(slug="retired", is_active=False)

    assert client.get(f"/shop/{slug}/").status_code == HTTPStatus.NOT_FOUND


# --- Adding ------------------------------------------------------------------------


def test_add_without_quantity_adds_one_and_redirects_to_the_cart(client):
    product = ProductFactory()

    response = add(client, product)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/cart/"
    assert session_cart(client) == {str(product.pk): 1}


def test_add_with_quantity_adds_that_many(client):
    product = ProductFactory()

    add(client, product, quantity="3")

    assert session_cart(client) == {str(product.pk): 3}


def test_add_tells_the_reader_what_was_added(client):
    product = ProductFactory(name="Newsroom mug")

    page = client.get(add(client, product)["Location"]).content.decode()

    assert "Added Newsroom mug to your cart." in page


def test_adding_beyond_99_keeps_99_and_says_so(client):
    product = ProductFactory(name="Newsroom mug")
    add(client, product, quantity="98")

    response = add(client, product, quantity="5")

    assert session_cart(client) == {str(product.pk): 99}
    assert "the most we allow" in client.get(response["Location"]).content.decode()


def test_add_answers_json_to_the_script(client):
    product = ProductFactory()
    add(client, product)

    response = client.post(
        f"/cart/add/{product.pk}/", {"quantity": "2"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 3


def test_add_answers_json_errors_to_the_script(client):
    product = ProductFactory()

    response = client.post(
        f"/cart/add/{product.pk}/", {"quantity": "abc"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"errors": ["Enter a whole number from 1 to 99."]}


# --- The cart page -------------------------------------------------------------------


def test_cart_page_shows_lines_line_totals_and_total(client):
    mug = ProductFactory(name="Newsroom mug", price=Decimal("12.00"))
    bag = ProductFactory(name="Newsroom tote bag", price=Decimal("18.00"))
    add(client, mug, quantity="2")
    add(client, bag)

    page = client.get("/cart/").content.decode()

    assert "Newsroom mug" in page
    assert "€24.00" in page
    assert "Newsroom tote bag" in page
    assert "Total, 3 items" in page
    assert "€42.00" in page


def test_cart_page_has_update_remove_clear_and_checkout(client):
    product = ProductFactory()
    add(client, product)

    page = client.get("/cart/").content.decode()

    assert f'action="/cart/update/{product.pk}/"' in page
    assert f'action="/cart/remove/{product.pk}/"' in page
    assert 'action="/cart/clear/"' in page
    assert 'href="/cart/checkout/"' in page


def test_empty_cart_says_so_and_links_to_the_shop(client):
    page = client.get("/cart/").content.decode()

    assert "Your cart is empty" in page
    assert 'href="/shop/"' in page
    assert "<table" not in page


def test_update_sets_the_quantity(client):
    product = ProductFactory()
    add(client, product, quantity="5")

    response = client.post(f"/cart/update/{product.pk}/", {"quantity": "2"})

    assert response.status_code == HTTPStatus.FOUND
    assert session_cart(client) == {str(product.pk): 2}


def test_update_of_a_product_not_in_the_cart_adds_nothing(client):
    product = ProductFactory()

    client.post(f"/cart/update/{product.pk}/", {"quantity": "2"})

    assert not session_cart(client)


def test_remove_drops_the_line(client):
    kept, removed = ProductFactory(), ProductFactory()
    add(client, kept)
    add(client, removed)

    response = client.post(f"/cart/remove/{removed.pk}/")

    assert response.status_code == HTTPStatus.FOUND
    assert session_cart(client) == {str(kept.pk): 1}


def test_clear_empties_the_cart(client):
    add(client, ProductFactory(), quantity="3")

    response = client.post("/cart/clear/", follow=True)

    assert "Your cart is empty" in response.content.decode()
    assert header_count(response.content.decode()) == "0"


def test_header_shows_the_number_of_items_on_every_page(client):
    add(client, ProductFactory(), quantity="2")
    add(client, ProductFactory(), quantity="3")

    assert header_count(client.get("/").content.decode()) == "5"


# --- Checkout ------------------------------------------------------------------------


def test_checkout_shows_the_order_summary_and_says_no_payment_is_taken(client):
    add(client, ProductFactory(name="Weekend print edition", price=Decimal("4.50")), quantity="2")

    page = client.get("/cart/checkout/").content.decode()

    assert "Weekend print edition" in page
    assert "€9.00" in page
    assert "This is a demo shop." in page
    assert "No payment is taken" in page


def test_checkout_asks_for_no_payment_details(client):
    add(client, ProductFactory())

    page = client.get("/cart/checkout/").content.decode()

    assert page.count("<input") == page.count('type="hidden" name="csrfmiddlewaretoken"')


def test_checkout_of_an_empty_cart_says_the_cart_is_empty(client):
    page = client.get("/cart/checkout/").content.decode()

    assert "Your cart is empty" in page
    assert "Place demo order" not in page


def test_placing_the_demo_order_empties_the_cart_and_thanks_the_reader(client):
    add(client, ProductFactory(price=Decimal("4.50")), quantity="2")

    response = client.post("/cart/checkout/place/", follow=True)

    assert response.redirect_chain == [("/cart/checkout/thanks/", HTTPStatus.FOUND)]
    page = response.content.decode()
    assert "Thank you" in page
    assert "Demo order placed: 2 items, €9.00. No payment was taken." in page
    assert session_cart(client) == {}


def test_placing_an_order_with_an_empty_cart_goes_back_to_the_cart(client):
    response = client.post("/cart/checkout/place/")

    assert response["Location"] == "/cart/"


def test_placing_an_order_after_a_product_went_off_sale_shows_the_summary_again(client):
    kept, retired = ProductFactory(), ProductFactory(name="Retired calendar")
    add(client, kept)
    add(client, retired)
    type(retired).objects.filter(pk=retired.pk).update(is_active=False)

    response = client.post("/cart/checkout/place/", follow=True)

    assert response.redirect_chain == [("/cart/checkout/", HTTPStatus.FOUND)]
    assert "Retired calendar is no longer available" in response.content.decode()


# --- HTTP methods and CSRF ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/cart/update/{pk}/",
        "/cart/remove/{pk}/",
        "/cart/clear/",
        "/cart/checkout/place/",
    ],
)
def test_changes_refuse_get(client, path):
    product = ProductFactory()

    response = client.get(path.format(pk=product.pk))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_pasted_add_link_lands_on_the_product_with_a_message(client):
    product = ProductFactory(name="Newsroom mug")

    response = client.get(f"/cart/add/{product.pk}/", follow=True)

    assert response.redirect_chain == [(product.get_absolute_url(), HTTPStatus.FOUND)]
    page = response.content.decode()
    assert "To add Newsroom mug to your cart, use the “Add to cart” button." in page
    assert not session_cart(client)


def test_pasted_add_link_to_a_retired_product_is_404(client):
    product = ProductFactory(is_active=False)

    assert client.get(f"/cart/add/{product.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_quantity_0_removes_the_line(client):
    kept, removed = ProductFactory(), ProductFactory(name="Tote bag")
    client.post(f"/cart/add/{kept.pk}/", {"quantity": "2"})
    client.post(f"/cart/add/{removed.pk}/", {"quantity": "3"})

    response = client.post(f"/cart/update/{removed.pk}/", {"quantity": "0"}, follow=True)

    assert session_cart(client) == {str(kept.pk): 2}
    assert "Removed Tote bag from your cart." in response.content.decode()


def test_changes_need_a_csrf_token():
    product = ProductFactory()

    response = Client(enforce_csrf_checks=True).post(f"/cart/add/{product.pk}/")

    assert response.status_code == HTTPStatus.FORBIDDEN


class ImageTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_in(response) -> list[dict]:
    parser = ImageTags()
    parser.feed(response.content.decode())
    return parser.images


def png(width: int, height: int) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return SimpleUploadedFile("mug.png", buffer.getvalue(), "image/png")


@pytest.mark.parametrize("page", ["/shop/", "product"])
def test_a_products_picture_carries_its_stored_size(client, page):
    product = ProductFactory(image=png(40, 30))

    response = client.get(product.get_absolute_url() if page == "product" else page)

    (image,) = [img for img in images_in(response) if "/media/shop/products/mug" in img["src"]]
    assert (image["width"], image["height"]) == ("40", "30")


@pytest.mark.parametrize("page", ["/shop/", "product"])
def test_a_products_picture_of_unknown_size_is_left_out(client, page):
    product = ProductFactory(image=png(40, 30))
    Product.objects.filter(pk=product.pk).update(image_width=None, image_height=None)

    response = client.get(product.get_absolute_url() if page == "product" else page)

    assert response.status_code == HTTPStatus.OK
    assert not [img for img in images_in(response) if "/media/shop/" in img["src"]]
