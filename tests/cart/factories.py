from decimal import Decimal

import factory
from django.conf import settings
from django.utils.text import slugify
from factory.django import DjangoModelFactory, Password

from cart.models import Product

PASSWORD = "correct-horse-battery-staple"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Demo product {n}")
    slug = factory.LazyAttribute(lambda product: slugify(product.name))
    price = Decimal("10.00")
    currency = "EUR"
    short_description = factory.Faker("sentence", nb_words=8)
    is_active = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    password = Password(PASSWORD)
