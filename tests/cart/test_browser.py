"""The shop in a real browser: shop → add → cart → update → checkout, accessible and CSP-clean."""

import re
from decimal import Decimal

import pytest

from tests.cart.factories import ProductFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def quick_failures(page):
    # Every step here takes well under a second; a missing element should fail fast.
    page.set_default_timeout(5_000)


@pytest.fixture
def products():
    return [
        ProductFactory(name="Newsroom tote bag", price=Decimal("18.00")),
        ProductFactory(name="Weekend print edition", price=Decimal("4.50")),
    ]


def test_shop_to_checkout_with_script(
    live_server, page, products, axe_violations, csp_violations, tmp_path
):
    page.goto(live_server.url + "/shop/")
    assert axe_violations(page) == [], "shop"

    page.get_by_role("button", name=re.compile(r"^Add to cart\W+Newsroom tote bag$")).click()
    # The script adds without leaving the page and updates the header's count.
    page.get_by_role("status").filter(has_text="Added Newsroom tote bag").wait_for()
    assert page.url == live_server.url + "/shop/"
    assert page.locator("[data-cart-count]").inner_text() == "1"

    page.get_by_role("link", name=re.compile("^Cart")).click()
    page.get_by_label("Quantity of Newsroom tote bag").fill("3")
    page.get_by_role("button", name=re.compile(r"^Update\W+Newsroom tote bag$")).click()
    page.get_by_text("Newsroom tote bag: quantity set to 3.").wait_for()
    assert page.locator(".cart-table__total").inner_text() == "€54.00"
    assert axe_violations(page) == [], "cart"
    page.screenshot(path=tmp_path / "cart.png", full_page=True)

    page.get_by_role("link", name="Checkout").click()
    assert "No payment is taken" in page.locator("main").inner_text()
    assert axe_violations(page) == [], "checkout"

    page.get_by_role("button", name="Place demo order").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    assert page.locator("[data-cart-count]").inner_text() == "0"
    assert axe_violations(page) == [], "thanks"
    assert csp_violations == []


def test_shop_works_without_script(browser, live_server, products):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5_000)
    try:
        page.goto(live_server.url + "/shop/")
        add = re.compile(r"^Add to cart\W+Weekend print edition$")
        page.get_by_role("button", name=add).click()

        assert page.url == live_server.url + "/cart/"
        assert page.locator("[data-cart-count]").inner_text() == "1"
        assert page.locator(".cart-table__total").inner_text() == "€4.50"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cart_pages_are_accessible_in_both_colour_schemes(
    live_server, page, products, axe_violations, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/cart/")
    assert axe_violations(page) == [], "empty cart"

    page.goto(live_server.url + products[0].get_absolute_url())
    page.get_by_label("Quantity").fill("0")
    # The browser's own check would stop 0; the server's error is what we test.
    page.locator("form[data-cart-add]").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("status").filter(has_text="Enter a whole number").wait_for()
    assert axe_violations(page) == [], "product page with an error"
