from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError

from cart.models import Product, SavedCart, SavedCartLine
from tests.cart.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_negative_price_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        ProductFactory(price=Decimal("-0.01"))


def test_active_products_leave_out_those_off_sale():
    on_sale = ProductFactory()
    ProductFactory(is_active=False)

    assert list(Product.objects.active()) == [on_sale]


def test_product_lives_at_its_slug_in_the_shop():
    product = ProductFactory(slug="newsroom-mug")

    assert product.get_absolute_url() == "/shop/newsroom-mug/"


def test_unit_price_carries_the_currency():
    product = ProductFactory(price=Decimal("4.50"), currency="GBP")

    assert str(product.unit_price) == "£4.50"


def test_saved_cart_line_quantity_above_99_is_refused_by_the_database():
    saved = SavedCart.objects.create(user=UserFactory())

    with pytest.raises(IntegrityError):
        SavedCartLine.objects.create(cart=saved, product=ProductFactory(), quantity=100)


def test_seed_demo_creates_products_once():
    config = apps.get_app_config("cart")

    config.seed_demo()
    first = Product.objects.count()
    summary = config.seed_demo()

    assert first >= 3
    assert Product.objects.count() == first
    assert "(0 new)" in summary


def test_seed_demo_keeps_an_editors_changes():
    config = apps.get_app_config("cart")
    config.seed_demo()
    Product.objects.filter(slug="newsroom-tote-bag").update(price=Decimal("20.00"))

    config.seed_demo()

    assert Product.objects.get(slug="newsroom-tote-bag").price == Decimal("20.00")
