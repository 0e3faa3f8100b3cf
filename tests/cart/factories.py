from decimal import Decimal

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from cart.models import Product


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Demo product {n}")
    slug = factory.LazyAttribute(lambda product: slugify(product.name))
    price = Decimal("10.00")
    currency = "EUR"
    short_description = factory.Faker("sentence", nb_words=8)
    is_active = True
