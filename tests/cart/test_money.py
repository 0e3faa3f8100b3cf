from decimal import Decimal

import pytest

from cart.money import Money


def test_euros_are_shown_with_the_symbol_and_two_decimals():
    assert str(Money(Decimal("12"), "EUR")) == "€12.00"


def test_currency_without_a_known_symbol_is_shown_with_its_code():
    assert str(Money(Decimal("7.5"), "CHF")) == "CHF\N{NO-BREAK SPACE}7.50"


def test_thousands_are_separated():
    assert str(Money(Decimal("1234.5"), "GBP")) == "£1,234.50"


def test_half_cents_round_up():
    assert str(Money(Decimal("0.125"), "EUR")) == "€0.13"


def test_multiplying_by_a_quantity_keeps_decimal_precision():
    assert Money(Decimal("0.10"), "EUR") * 3 == Money(Decimal("0.30"), "EUR")


def test_adding_two_currencies_is_refused():
    with pytest.raises(ValueError, match="Cannot add"):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "GBP")


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError):
        Money(1.5, "EUR")
