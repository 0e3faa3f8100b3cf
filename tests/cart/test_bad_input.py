"""Bad input and bad session data: a form error, a 404 or a quiet repair, never a 500."""

from http import HTTPStatus

import pytest

from tests.cart.factories import ProductFactory
from tests.cart.helpers import header_count, session_cart, store_in_session
from tests.hostile import NON_CANONICAL_TWOS

pytestmark = pytest.mark.django_db

BAD_QUANTITIES = [
    *["0", "-1", "100", "abc", "1.5", "", " ", "1e2", "99999999999999999999"],
    # Other spellings of 2: only the canonical one is a quantity (issue 13.5's kind).
    *NON_CANONICAL_TWOS,
]
QUANTITY_ERROR = "Enter a whole number from 1 to 99."
#: On the cart page 0 is allowed (it removes the line).
BAD_LINE_QUANTITIES = [quantity for quantity in BAD_QUANTITIES if quantity != "0"]
LINE_QUANTITY_ERROR = "Enter a whole number from 0 to 99 (0 removes the item)."
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH_DIGITS = {ord("0") + digit: 0xFF10 + digit for digit in range(10)}


@pytest.mark.parametrize("quantity", BAD_QUANTITIES)
def test_add_with_bad_quantity_shows_a_form_error(client, quantity):
    product = ProductFactory()

    response = client.post(f"/cart/add/{product.pk}/", {"quantity": quantity})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert QUANTITY_ERROR in response.content.decode()


@pytest.mark.parametrize("quantity", BAD_QUANTITIES)
def test_add_with_bad_quantity_adds_nothing(client, quantity):
    product = ProductFactory()

    client.post(f"/cart/add/{product.pk}/", {"quantity": quantity})

    assert not session_cart(client)


@pytest.mark.parametrize("quantity", BAD_LINE_QUANTITIES)
def test_update_with_bad_quantity_shows_a_form_error_on_the_cart_page(client, quantity):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/", {"quantity": "4"})

    response = client.post(f"/cart/update/{product.pk}/", {"quantity": quantity})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert LINE_QUANTITY_ERROR in page
    assert "Your cart" in page


@pytest.mark.parametrize("quantity", BAD_LINE_QUANTITIES)
def test_update_with_bad_quantity_keeps_the_old_quantity(client, quantity):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/", {"quantity": "4"})

    client.post(f"/cart/update/{product.pk}/", {"quantity": quantity})

    assert session_cart(client) == {str(product.pk): 4}


@pytest.mark.parametrize("quantity", NON_CANONICAL_TWOS)
def test_add_refuses_other_spellings_of_a_number_to_the_script(client, quantity):
    product = ProductFactory()

    response = client.post(
        f"/cart/add/{product.pk}/", {"quantity": quantity}, headers={"Accept": "application/json"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"errors": [QUANTITY_ERROR]}


def test_update_without_quantity_is_a_form_error(client):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/")

    response = client.post(f"/cart/update/{product.pk}/", {})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert LINE_QUANTITY_ERROR in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/cart/add/999999/",
        "/cart/update/999999/",
        "/cart/remove/999999/",
        "/cart/add/99999999999999999999999999/",
    ],
)
def test_unknown_product_is_404(client, path):
    ProductFactory()

    assert client.post(path, {"quantity": "1"}).status_code == HTTPStatus.NOT_FOUND


def other_spellings_of(number: int) -> list[str]:
    digits = str(number)
    return [
        f"0{digits}",
        f"+{digits}",
        digits.translate(ARABIC_INDIC_DIGITS),
        digits.translate(FULLWIDTH_DIGITS),
    ]


@pytest.mark.parametrize("action", ["add", "update", "remove"])
def test_product_ids_in_other_spellings_are_404(client, action):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/")

    statuses = {
        spelling: client.post(f"/cart/{action}/{spelling}/", {"quantity": "2"}).status_code
        for spelling in other_spellings_of(product.pk)
    }

    assert set(statuses.values()) == {HTTPStatus.NOT_FOUND}, statuses
    assert session_cart(client) == {str(product.pk): 1}


def test_non_numeric_product_id_is_404(client):
    assert client.post("/cart/add/abc/").status_code == HTTPStatus.NOT_FOUND


def test_adding_a_deactivated_product_is_refused_with_a_clear_message(client):
    product = ProductFactory(name="Retired calendar", is_active=False)

    response = client.post(f"/cart/add/{product.pk}/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Retired calendar is no longer available" in response.content.decode()
    assert not session_cart(client)


def test_updating_a_product_deactivated_since_removes_it_with_a_message(client):
    product = ProductFactory(name="Retired calendar")
    client.post(f"/cart/add/{product.pk}/")
    type(product).objects.filter(pk=product.pk).update(is_active=False)

    response = client.post(f"/cart/update/{product.pk}/", {"quantity": "2"}, follow=True)

    assert "Retired calendar is no longer available" in response.content.decode()
    assert session_cart(client) == {}


def test_cart_page_drops_a_deactivated_product_with_a_message(client):
    kept, retired = ProductFactory(name="Newsroom mug"), ProductFactory(name="Retired calendar")
    client.post(f"/cart/add/{kept.pk}/")
    client.post(f"/cart/add/{retired.pk}/")
    type(retired).objects.filter(pk=retired.pk).update(is_active=False)

    page = client.get("/cart/").content.decode()

    assert "Retired calendar is no longer available and was removed from your cart." in page
    assert session_cart(client) == {str(kept.pk): 1}
    assert header_count(page) == "1"


def test_cart_page_drops_a_deleted_product_with_a_message(client):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/")
    product.delete()

    response = client.get("/cart/")

    assert response.status_code == HTTPStatus.OK
    assert "is no longer available and was removed from your cart." in response.content.decode()
    assert "Your cart is empty" in response.content.decode()


# --- Corrupt session data -----------------------------------------------------------------

CORRUPT_CARTS = {
    "a list": ["1", 2],
    "a string": "garbage",
    "a number": 42,
    "null": None,
    "non-numeric id": {"abc": 2},
    "negative id": {"-4": 2},
    "id in Arabic-Indic digits": {"{arabic_pk}": 2},
    "unknown id": {"987654": 2},
    "id too large": {"9" * 30: 2},
    "negative quantity": {"{pk}": -3},
    "zero quantity": {"{pk}": 0},
    "huge quantity": {"{pk}": 10**9},
    "quantity as string": {"{pk}": "2"},
    "fractional quantity": {"{pk}": 1.5},
    "boolean quantity": {"{pk}": True},
    "list quantity": {"{pk}": [1]},
    "null quantity": {"{pk}": None},
}


def corrupt(shape, product):
    if isinstance(shape, dict):
        arabic_pk = str(product.pk).translate(ARABIC_INDIC_DIGITS)
        return {
            key.format(pk=product.pk, arabic_pk=arabic_pk): value for key, value in shape.items()
        }
    return shape


@pytest.mark.parametrize("shape", CORRUPT_CARTS.values(), ids=CORRUPT_CARTS.keys())
def test_cart_page_renders_whatever_the_session_holds(client, shape):
    store_in_session(client, cart=corrupt(shape, ProductFactory()), cart_count=2)

    response = client.get("/cart/")

    assert response.status_code == HTTPStatus.OK
    assert "Your cart is empty" in response.content.decode()


@pytest.mark.parametrize("shape", CORRUPT_CARTS.values(), ids=CORRUPT_CARTS.keys())
def test_corrupt_lines_are_reset_and_good_lines_kept(client, shape):
    good = ProductFactory()
    cart = corrupt(shape, ProductFactory())
    if isinstance(cart, dict):
        cart[str(good.pk)] = 3
    else:
        client.post(f"/cart/add/{good.pk}/", {"quantity": "3"})
    store_in_session(client, cart=cart)

    client.get("/cart/")

    expected = {str(good.pk): 3} if isinstance(cart, dict) else {}
    assert session_cart(client) == expected
    assert client.session["cart_count"] == sum(expected.values())


@pytest.mark.parametrize("shape", CORRUPT_CARTS.values(), ids=CORRUPT_CARTS.keys())
def test_adding_works_over_a_corrupt_session(client, shape):
    product = ProductFactory()
    store_in_session(client, cart=corrupt(shape, ProductFactory()))

    response = client.post(f"/cart/add/{product.pk}/", follow=True)

    assert response.status_code == HTTPStatus.OK
    assert session_cart(client) == {str(product.pk): 1}


@pytest.mark.parametrize("count", ["lots", -5, [3], None, 1.5, 10**12])
def test_header_counts_the_lines_when_the_stored_count_is_corrupt(client, count):
    product = ProductFactory()
    store_in_session(client, cart={str(product.pk): 2}, cart_count=count)

    assert header_count(client.get("/").content.decode()) == "2"


@pytest.mark.parametrize("shape", CORRUPT_CARTS.values(), ids=CORRUPT_CARTS.keys())
def test_every_page_renders_with_a_corrupt_cart(client, shape):
    store_in_session(client, cart=corrupt(shape, ProductFactory()))

    for path in ("/", "/shop/", "/cart/checkout/"):
        assert client.get(path).status_code == HTTPStatus.OK, path
