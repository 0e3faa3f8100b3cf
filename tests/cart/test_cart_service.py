"""The Cart service over the session, without views."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from cart.cart import Cart, clean_lines
from cart.money import Money
from tests.cart.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_add_stores_only_product_id_and_quantity_in_the_session(shop_request):
    product = ProductFactory()

    Cart(shop_request).add(product, 2)

    assert shop_request.session["cart"] == {str(product.pk): 2}
    assert shop_request.session["cart_count"] == 2


def test_adding_a_product_again_adds_to_its_quantity(shop_request):
    product = ProductFactory()
    cart = Cart(shop_request)

    cart.add(product, 2)
    cart.add(product, 3)

    assert cart.quantity_of(product) == 5


def test_adding_stops_at_99(shop_request):
    product = ProductFactory()
    cart = Cart(shop_request)
    cart.add(product, 98)

    assert cart.add(product, 5) == 99


def test_set_quantity_replaces_the_quantity(shop_request):
    product = ProductFactory()
    cart = Cart(shop_request)
    cart.add(product, 4)

    cart.set_quantity(product, 1)

    assert cart.quantity_of(product) == 1


def test_remove_drops_the_line(shop_request):
    kept, removed = ProductFactory(), ProductFactory()
    cart = Cart(shop_request)
    cart.add(kept)
    cart.add(removed)

    cart.remove(removed)

    assert [line.product for line in cart] == [kept]


def test_clear_empties_the_cart(shop_request):
    cart = Cart(shop_request)
    cart.add(ProductFactory(), 3)

    cart.clear()

    assert (len(cart), cart.count, shop_request.session["cart_count"]) == (0, 0, 0)


def test_count_is_items_and_len_is_lines(shop_request):
    cart = Cart(shop_request)
    cart.add(ProductFactory(), 2)
    cart.add(ProductFactory(), 3)

    assert (cart.count, len(cart)) == (5, 2)


def test_lines_carry_quantity_and_line_total(shop_request):
    product = ProductFactory(price=Decimal("4.50"))
    cart = Cart(shop_request)
    cart.add(product, 3)

    [line] = list(cart)

    assert (line.product, line.quantity, line.line_total) == (
        product,
        3,
        Money(Decimal("13.50"), "EUR"),
    )


def test_prices_are_read_from_the_database_not_the_session(shop_request):
    product = ProductFactory(price=Decimal("10.00"))
    Cart(shop_request).add(product, 2)
    type(product).objects.filter(pk=product.pk).update(price=Decimal("7.00"))

    assert Cart(shop_request).total == Money(Decimal("14.00"), "EUR")


def test_total_adds_exactly_in_decimal(shop_request):
    cart = Cart(shop_request)
    cart.add(ProductFactory(price=Decimal("0.10")), 3)
    cart.add(ProductFactory(price=Decimal("0.20")), 1)

    assert cart.total == Money(Decimal("0.50"), "EUR")


def test_mixed_currencies_get_one_total_each(shop_request):
    cart = Cart(shop_request)
    cart.add(ProductFactory(price=Decimal("3.00"), currency="EUR"))
    cart.add(ProductFactory(price=Decimal("2.00"), currency="GBP"), 2)

    assert (cart.total, cart.totals) == (
        None,
        [Money(Decimal("3.00"), "EUR"), Money(Decimal("4.00"), "GBP")],
    )


def test_all_lines_are_loaded_in_one_query(shop_request, django_assert_num_queries):
    cart = Cart(shop_request)
    for product in ProductFactory.create_batch(6):
        cart.add(product)
    cart = Cart(shop_request)

    with django_assert_num_queries(1):
        assert len(list(cart)) == 6
        assert cart.total == Money(Decimal("60.00"), "EUR")


def test_deactivated_product_drops_out_with_a_message(shop_request):
    product = ProductFactory(name="Newsroom mug")
    Cart(shop_request).add(product)
    type(product).objects.filter(pk=product.pk).update(is_active=False)

    cart = Cart(shop_request)

    assert list(cart) == []
    assert shop_request.session["cart"] == {}
    assert [str(m) for m in get_messages(shop_request)] == [
        "Newsroom mug is no longer available and was removed from your cart."
    ]


def test_deleted_product_drops_out_with_a_message(shop_request):
    product = ProductFactory()
    Cart(shop_request).add(product)
    product.delete()

    assert (list(Cart(shop_request)), shop_request.session["cart_count"]) == ([], 0)
    assert [str(m) for m in get_messages(shop_request)] == [
        "An item is no longer available and was removed from your cart."
    ]


@pytest.mark.parametrize("quantity", [0, -1, 100, 1.5, "2", True])
def test_bad_quantity_from_code_is_refused(shop_request, quantity):
    with pytest.raises(ValueError, match="whole number"):
        Cart(shop_request).add(ProductFactory(), quantity)


def test_product_off_sale_cannot_be_added(shop_request):
    with pytest.raises(ValueError, match="not on sale"):
        Cart(shop_request).add(ProductFactory(is_active=False))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, {}),
        ("garbage", {}),
        (["1", 2], {}),
        (42, {}),
        ({"abc": 1, "7": 2}, {"7": 2}),
        ({"-1": 1, "0": 1, "1.5": 1, " 3": 1, "٣": 1}, {}),
        ({"7": -3, "8": 0, "9": 100, "10": 10**12}, {}),
        ({"7": "2", "8": 1.0, "9": True, "10": None, "11": [1], "12": {"q": 1}}, {}),
        ({"7": 1, str(2**64): 1}, {"7": 1}),
        ({7: 3}, {"7": 3}),
        ({"007": 3}, {"7": 3}),
    ],
)
def test_clean_lines_keeps_only_good_lines(raw, expected):
    assert clean_lines(raw) == expected
