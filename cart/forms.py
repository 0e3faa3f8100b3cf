from django import forms

from cart.models import MAX_QUANTITY, Product
from newsroom.numbers import CanonicalIntegerField

QUANTITY_ERROR = f"Enter a whole number from 1 to {MAX_QUANTITY}."


class QuantityForm(forms.Form):
    """
    The quantity of one cart line: a whole number from 1 to 99, in ASCII digits
    as a number field sends it (other scripts' digits, `+2` or `02` are a form error).
    """

    quantity = CanonicalIntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "required": QUANTITY_ERROR,
            "invalid": QUANTITY_ERROR,
            "min_value": QUANTITY_ERROR,
            "max_value": QUANTITY_ERROR,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 3}),
    )


LINE_QUANTITY_ERROR = f"Enter a whole number from 0 to {MAX_QUANTITY} (0 removes the item)."


class CartLineForm(QuantityForm):
    """A cart line's new quantity: 0 removes the line, as readers expect of a cart."""

    quantity = CanonicalIntegerField(
        min_value=0,
        max_value=MAX_QUANTITY,
        error_messages={
            "required": LINE_QUANTITY_ERROR,
            "invalid": LINE_QUANTITY_ERROR,
            "min_value": LINE_QUANTITY_ERROR,
            "max_value": LINE_QUANTITY_ERROR,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 3}),
    )


class AddToCartForm(QuantityForm):
    """
    Add a product to the cart. The quantity may be left out (the shop's list
    has only a button) and then means one; sent but empty, it is an error.
    """

    def __init__(self, *args, product: Product, **kwargs) -> None:
        self.product = product
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = False
        self.fields["quantity"].initial = 1

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        if quantity is None:
            if self.add_prefix("quantity") in self.data:
                raise forms.ValidationError(QUANTITY_ERROR, code="required")
            return 1
        return quantity

    def clean(self):
        cleaned_data = super().clean()
        if not self.product.is_active:
            raise forms.ValidationError(
                f"{self.product.name} is no longer available, so it was not added to your cart.",
                code="unavailable",
            )
        return cleaned_data
