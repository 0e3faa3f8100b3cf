from decimal import Decimal

from django.apps import AppConfig

DEMO_PRODUCTS = [
    {
        "slug": "digital-subscription",
        "name": "Digital subscription, one month",
        "price": Decimal("9.00"),
        "short_description": "Every story, the morning briefing and the archive, on any device.",
    },
    {
        "slug": "weekend-print-edition",
        "name": "Weekend print edition",
        "price": Decimal("4.50"),
        "short_description": "Saturday's paper with the long reads and the puzzles, posted to you.",
    },
    {
        "slug": "newsroom-tote-bag",
        "name": "Newsroom tote bag",
        "price": Decimal("18.00"),
        "short_description": "Heavy organic cotton, big enough for the weekend edition and more.",
    },
    {
        "slug": "newsroom-mug",
        "name": "Newsroom mug",
        "price": Decimal("12.00"),
        "short_description": "Stoneware, dishwasher-safe, printed with the morning's deadline.",
    },
]


class CartConfig(AppConfig):
    name = "cart"
    verbose_name = "Shop and cart"

    def ready(self) -> None:
        # Merges the saved cart at log-in; purges the shop's pages when a product changes.
        from cart import receivers  # noqa: F401

    def seed_demo(self) -> str:
        """
        Create the demo shop's products (products already there are left as they
        are) and restore the Editor role's shop permissions.
        """
        from cart.models import Product
        from newsroom.roles import roles_ensure

        created = 0
        for fields in DEMO_PRODUCTS:
            _, was_created = Product.objects.get_or_create(
                slug=fields["slug"], defaults={key: v for key, v in fields.items() if key != "slug"}
            )
            created += was_created
        roles_ensure()
        return f"{len(DEMO_PRODUCTS)} shop products ({created} new); editors manage products"

    def personal_data(self, user) -> dict:
        """The reader's saved cart, for accounts' "Download my data"."""
        from cart.models import SavedCartLine

        lines = (
            SavedCartLine.objects.filter(cart__user=user)
            .select_related("product")
            .order_by("product__name", "pk")
        )
        return {
            "saved_cart": [
                {"product": line.product.name, "quantity": line.quantity} for line in lines
            ]
        }
