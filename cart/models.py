from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from cart.money import Money
from newsroom.images import UploadedImageField
from newsroom.text import TextFieldsCleanedOnSave

MAX_QUANTITY = 99


class Currency(models.TextChoices):
    EUR = "EUR", "Euro"
    GBP = "GBP", "Pound sterling"
    USD = "USD", "US dollar"
    CHF = "CHF", "Swiss franc"


class ProductQuerySet(models.QuerySet):
    def active(self):
        """Products readers can see in the shop and put in their cart."""
        return self.filter(is_active=True)


class Product(TextFieldsCleanedOnSave, models.Model):
    """
    Something the demo shop sells: a subscription, a print edition, a tote bag.

    The cart in the session holds only product ids and quantities; the price
    and whether the product can still be bought are always read from here.
    Switching `is_active` off takes a product out of the shop and out of every
    cart, without deleting anything.
    """

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The last part of the product's address in the shop."
    )
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="The price of one item, in the currency below.",
    )
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.EUR)
    short_description = models.CharField(
        max_length=240, blank=True, help_text="One or two sentences shown in the shop."
    )
    is_active = models.BooleanField(
        "on sale",
        default=True,
        help_text="Untick to take the product out of the shop and out of readers' carts.",
    )
    image = UploadedImageField(
        upload_to="shop/products/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="cart_product_price_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cart:product", kwargs={"slug": self.slug})

    @property
    def unit_price(self) -> Money:
        return Money(self.price, self.currency)


class SavedCart(models.Model):
    """
    A signed-in reader's cart, kept beyond the session.

    The session is where the cart lives while the reader shops; this copy is
    rewritten whenever a signed-in reader changes it, so that after logging
    out (which ends the session) the same cart comes back at the next log-in
    and is merged with whatever they added in the meantime.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_cart"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Cart of {self.user}"


class SavedCartLine(models.Model):
    """One product and its quantity in a saved cart."""

    cart = models.ForeignKey(SavedCart, on_delete=models.CASCADE, related_name="lines")
    # A product deleted from the shop simply drops out of saved carts.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_savedcartline_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cart_savedcartline_quantity_range",
            ),
        ]

    def __str__(self):
        return f"{self.product}: {self.quantity}"
