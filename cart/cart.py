"""
The reader's cart, kept in the session.

The session holds only what the reader chose: `{"<product id>": quantity}`
under "cart", plus the item count under "cart_count" so that the header can
show it on every page without a query. Names, prices and whether a product can
still be bought are always read from the database, in one query, when the
cart's lines are needed.

Session data can be stale (a product deleted or taken off sale since) or
wrong (an old layout, a bug, hand-edited data). Whatever is found there, the
good lines are kept, the bad ones are dropped, and the page still renders.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest

from cart.models import MAX_QUANTITY, Product
from cart.money import Money

SESSION_KEY = "cart"
COUNT_KEY = "cart_count"
# The id of the signed-in reader whose saved cart the session's lines already
# are, so that logging in again as the same reader does not add them twice.
OWNER_KEY = "cart_owner"

# Larger keys cannot be a primary key of ours (a 64-bit signed integer).
MAX_PRODUCT_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> Money:
        return self.product.unit_price * self.quantity


def is_quantity(value: object) -> bool:
    """Whether `value` is a quantity a cart line may hold: a whole number from 1 to 99."""
    # bool is a subclass of int, and True is not a quantity.
    return type(value) is int and 1 <= value <= MAX_QUANTITY


def _product_id(key: object) -> int | None:
    if type(key) is int:
        value = key
    elif isinstance(key, str) and key.isascii() and key.isdigit():
        value = int(key)
    else:
        return None
    return value if 0 < value <= MAX_PRODUCT_ID else None


def clean_lines(raw: object) -> dict[str, int]:
    """
    The valid lines of the session's cart data, whatever its shape.

    Anything that is not a mapping of product ids to quantities of 1..99
    (a list, a string, non-numeric ids, negative, huge or fractional
    quantities, quantities given as strings) is dropped, line by line.
    """
    if not isinstance(raw, Mapping):
        return {}
    lines: dict[str, int] = {}
    for key, quantity in raw.items():
        product_id = _product_id(key)
        if product_id is not None and is_quantity(quantity):
            lines[str(product_id)] = quantity
    return lines


def session_item_count(session: Mapping) -> int:
    """The number of items in the session's cart, read without a query."""
    count = session.get(COUNT_KEY)
    raw = session.get(SESSION_KEY)
    lines = len(raw) if isinstance(raw, Mapping) else 0
    if type(count) is int and 0 <= count <= MAX_QUANTITY * lines:
        return count
    # Missing or implausible: count the lines themselves (still no query).
    return sum(clean_lines(raw).values())


class Cart:
    """
    The reader's cart as session state: add, set a quantity, remove, clear;
    iterate for lines.

    `count` and `len()` are read from the session alone. Iterating loads every
    product in the cart in one query and drops, with a message to the reader,
    products that were deleted or taken off sale. It writes nothing but the
    session: views change a cart through `cart.services` (`cart_add`, ...),
    which also keep a signed-in reader's saved cart in step.
    """

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.session = request.session
        raw = self.session.get(SESSION_KEY)
        self._lines = clean_lines(raw)
        self._loaded: list[CartLine] | None = None
        stored_count = self.session.get(COUNT_KEY)
        if (raw is not None and raw != self._lines) or (
            stored_count is not None and stored_count != self.count
        ):
            # Keep only the lines that could be read. No message: there is
            # nothing the reader could do about it.
            self._store_in_session()

    def __iter__(self) -> Iterator[CartLine]:
        return iter(self._load())

    def __len__(self) -> int:
        """The number of lines (different products) in the cart."""
        return len(self._lines)

    def __contains__(self, product: Product) -> bool:
        return str(product.pk) in self._lines

    @property
    def count(self) -> int:
        """The number of items in the cart: the sum of the quantities."""
        return sum(self._lines.values())

    @property
    def totals(self) -> list[Money]:
        """The total in each currency the cart's lines are priced in (usually one)."""
        totals: dict[str, Money] = {}
        for line in self:
            currency = line.product.currency
            totals[currency] = totals.get(currency, Money.zero(currency)) + line.line_total
        return list(totals.values())

    @property
    def total(self) -> Money | None:
        """The cart's total, or None if it mixes currencies (then see `totals`)."""
        totals = self.totals
        return totals[0] if len(totals) == 1 else None

    def quantity_of(self, product: Product) -> int:
        return self._lines.get(str(product.pk), 0)

    def add(self, product: Product, quantity: int = 1) -> int:
        """Add `quantity` of an on-sale product; return the line's new quantity (at most 99)."""
        self._check(product, quantity)
        key = str(product.pk)
        self._lines[key] = min(self._lines.get(key, 0) + quantity, MAX_QUANTITY)
        self._save()
        return self._lines[key]

    def set_quantity(self, product: Product, quantity: int) -> None:
        self._check(product, quantity)
        self._lines[str(product.pk)] = quantity
        self._save()

    def remove(self, product: Product) -> None:
        if self._lines.pop(str(product.pk), None) is not None:
            self._save()

    def clear(self) -> None:
        self._lines.clear()
        self._save()

    def replace(self, lines: Mapping[str, int]) -> None:
        """Replace every line at once (used when the cart is merged at log-in)."""
        self._lines = clean_lines(lines)
        self._loaded = None
        self._store_in_session()

    # --- Internals ---------------------------------------------------------------

    @staticmethod
    def _check(product: Product, quantity: int) -> None:
        # Forms validate what readers type; reaching here with bad values is a bug.
        if not is_quantity(quantity):
            raise ValueError(f"A quantity must be a whole number from 1 to 99, not {quantity!r}.")
        if not product.is_active:
            raise ValueError(f"{product} is not on sale.")

    def _load(self) -> list[CartLine]:
        if self._loaded is None:
            products = Product.objects.in_bulk([int(key) for key in self._lines])
            lines: list[CartLine] = []
            gone: list[Product | None] = []
            for key, quantity in list(self._lines.items()):
                product = products.get(int(key))
                if product is None or not product.is_active:
                    del self._lines[key]
                    gone.append(product)
                else:
                    lines.append(CartLine(product, quantity))
            if gone:
                for product in gone:
                    name = product.name if product else "An item"
                    messages.warning(
                        self.request,
                        f"{name} is no longer available and was removed from your cart.",
                        fail_silently=True,
                    )
                self._save()
            self._loaded = lines
        return self._loaded

    def _store_in_session(self) -> None:
        self.session[SESSION_KEY] = dict(self._lines)
        self.session[COUNT_KEY] = self.count

    @property
    def lines(self) -> dict[str, int]:
        """A copy of the session's lines: {"<product id>": quantity}."""
        return dict(self._lines)

    def _save(self) -> None:
        self._loaded = None
        self._store_in_session()
