"""One spelling per number: `newsroom.numbers`, behind every whole number a reader sends."""

import pytest
from django import forms

from newsroom.numbers import CanonicalIntegerField, canonical_int
from newsroom.pagination import canonical_number
from tests.hostile import NON_CANONICAL_TWOS


@pytest.mark.parametrize("raw", ["0", "2", "10", "99", "9" * 18])
def test_canonical_spellings_are_numbers(raw):
    assert canonical_int(raw) == int(raw)


@pytest.mark.parametrize("raw", [*NON_CANONICAL_TWOS, "", "-2", "00", "9" * 19, "²"])
def test_other_spellings_are_not(raw):
    assert canonical_int(raw) is None


class QuantityForm(forms.Form):
    quantity = CanonicalIntegerField(min_value=0, max_value=99)


def test_the_form_field_reads_the_canonical_spelling():
    form = QuantityForm({"quantity": "2"})

    assert form.is_valid()
    assert form.cleaned_data["quantity"] == 2


@pytest.mark.parametrize("raw", NON_CANONICAL_TWOS)
def test_the_form_field_refuses_other_spellings_with_its_invalid_message(raw):
    form = QuantityForm({"quantity": raw})

    assert not form.is_valid()
    assert form.errors["quantity"] == ["Enter a whole number."]


@pytest.mark.parametrize(
    ("raw", "number"),
    [("2", 2), ("999999999", 999_999_999), ("1000000000", None), ("0", None)]
    + [(raw, None) for raw in NON_CANONICAL_TWOS],
)
def test_page_numbers_are_read_by_the_same_rule(raw, number):
    assert canonical_number(raw) == number
