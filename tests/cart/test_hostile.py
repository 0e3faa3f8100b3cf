"""
The hostile corpus (tests/hostile.py) through the shop: product names and
descriptions (typed by editors in the admin) and the cart quantity (typed by
readers), and every page that shows them (issue 13.18). Nothing executes,
nothing answers 500, and what is stored is what was typed, less what the
rules remove.
"""

from collections import Counter
from http import HTTPStatus

import pytest
from django.urls import reverse

from cart.models import Product
from tests.cart.factories import ProductFactory
from tests.hostile import INVALID_UTF8, PAYLOADS, TYPABLE, active_content, payload_id, stored_text

pytestmark = pytest.mark.django_db

CHUNK = 22
CHUNKS = [PAYLOADS[start : start + CHUNK] for start in range(0, len(PAYLOADS), CHUNK)]
NAME_MAX = Product._meta.get_field("name").max_length
DESCRIPTION_MAX = Product._meta.get_field("short_description").max_length


@pytest.mark.parametrize("chunk", range(len(CHUNKS)), ids=lambda index: f"chunk{index}")
def test_products_with_the_corpus_in_the_shop_the_cart_and_the_admin(client, admin_client, chunk):
    products = [
        (
            payload,
            ProductFactory(
                name=payload[:NAME_MAX],
                slug=f"hostile-{index}",
                short_description=payload[:DESCRIPTION_MAX],
            ),
        )
        for index, payload in enumerate(CHUNKS[chunk])
    ]
    for payload, product in products:
        product.refresh_from_db()
        assert product.name == stored_text(Product, "name", payload), payload_id(payload)
        assert product.short_description == stored_text(Product, "short_description", payload)
        response = client.get(product.get_absolute_url())
        assert response.status_code == HTTPStatus.OK, payload_id(payload)
        assert active_content(response.content.decode()) == [], payload_id(payload)
        assert client.post(f"/cart/add/{product.pk}/", {"quantity": "2"}).status_code == 302

    for path in ("/shop/", "/cart/", "/cart/checkout/"):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        assert active_content(response.content.decode()) == [], path

    url = reverse("admin:cart_product_changelist")
    baseline = Counter(
        active_content(admin_client.get(f"{url}?q=no-such-product").content.decode())
    )
    response = admin_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert Counter(active_content(response.content.decode())) == baseline


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_any_quantity_is_a_form_error_or_a_whole_number_from_1_to_99(client, payload):
    product = ProductFactory()

    added = client.post(f"/cart/add/{product.pk}/", {"quantity": payload})
    client.post(f"/cart/add/{product.pk}/", {"quantity": "1"})
    updated = client.post(f"/cart/update/{product.pk}/", {"quantity": payload})

    assert added.status_code in (HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)
    assert updated.status_code in (HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)
    for response in (added, updated):
        assert active_content(response.content.decode()) == []
    quantities = list(client.session.get("cart", {}).values())
    assert all(type(quantity) is int and 1 <= quantity <= 99 for quantity in quantities)


@pytest.mark.parametrize("raw", INVALID_UTF8, ids=repr)
def test_quantity_in_invalid_utf8_is_no_500(client, raw):
    product = ProductFactory()

    response = client.generic(
        "POST",
        f"/cart/add/{product.pk}/",
        b"quantity=" + raw,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.FOUND)
