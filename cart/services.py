"""
Changes to the reader's cart. `Cart` (cart/cart.py) is the session's state;
these change it and, for a signed-in reader, keep their saved cart in the
database in step, and merge the two at log-in.
"""

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from cart.cart import OWNER_KEY, SESSION_KEY, Cart, clean_lines
from cart.models import MAX_QUANTITY, Product, SavedCart, SavedCartLine


def saved_cart_replace(*, user: AbstractBaseUser, lines: Mapping[str, int]) -> SavedCart:
    """Make `user`'s saved cart hold exactly `lines`, skipping products that no longer exist."""
    lines = clean_lines(lines)
    with transaction.atomic():
        saved, _ = SavedCart.objects.select_for_update().get_or_create(user=user)
        existing = set(
            Product.objects.filter(pk__in=[int(key) for key in lines]).values_list("pk", flat=True)
        )
        saved.lines.all().delete()
        SavedCartLine.objects.bulk_create(
            SavedCartLine(cart=saved, product_id=int(key), quantity=quantity)
            for key, quantity in lines.items()
            if int(key) in existing
        )
        saved.save(update_fields=["updated_at"])
    return saved


def _saved_cart_keep(cart: Cart) -> None:
    """A signed-in reader's saved cart holds what their session's cart holds."""
    user = getattr(cart.request, "user", None)
    if user is not None and user.is_authenticated:
        saved_cart_replace(user=user, lines=cart.lines)
        cart.session[OWNER_KEY] = user.pk


def cart_add(*, cart: Cart, product: Product, quantity: int = 1) -> int:
    """Add `quantity` (1..99) of an on-sale product; return the line's new quantity
    (at most 99). Raises ValueError for a quantity or product the forms should
    have refused."""
    new_quantity = cart.add(product, quantity)
    _saved_cart_keep(cart)
    return new_quantity


def cart_set_quantity(*, cart: Cart, product: Product, quantity: int) -> None:
    """Set a line's quantity (1..99); ValueError as for `cart_add`."""
    cart.set_quantity(product, quantity)
    _saved_cart_keep(cart)


def cart_remove(*, cart: Cart, product: Product) -> None:
    """Take a product's line out of the cart, if it is there."""
    cart.remove(product)
    _saved_cart_keep(cart)


def cart_clear(*, cart: Cart) -> None:
    """Empty the cart (and the signed-in reader's saved cart)."""
    cart.clear()
    _saved_cart_keep(cart)


def cart_merge_on_login(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """
    Bring back the reader's saved cart at log-in and merge it with the session's.

    Django's login() keeps the session's data (it only rotates the key), so the
    lines added before logging in are still there. They are added to the saved
    ones, product by product, up to 99 of each; products no longer on sale are
    dropped with a message. The result is both the session's cart and the new
    saved cart. If the session's lines already are this reader's saved cart
    (logging in again without logging out), they are not counted twice.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    session_lines = clean_lines(session.get(SESSION_KEY))
    already_saved = session.get(OWNER_KEY) == user.pk

    with transaction.atomic():
        saved = SavedCart.objects.select_for_update().filter(user=user).first()
        if saved is None and not session_lines:
            # Nothing saved and nothing to save: most log-ins end here.
            Cart(request).replace({})
            session[OWNER_KEY] = user.pk
            return
        if saved is None:
            # Two log-ins at once (two browsers) may both find none: the
            # loser's insert fails and get_or_create reads the winner's row
            # (after its commit, through the lock), not a 500 (issue 13.6).
            saved, _ = SavedCart.objects.select_for_update().get_or_create(user=user)
        merged: dict[str, int] = {}
        if not already_saved:
            merged = {str(line.product_id): line.quantity for line in saved.lines.all()}
        brought_back = bool(merged) and not already_saved
        for key, quantity in session_lines.items():
            merged[key] = min(merged.get(key, 0) + quantity, MAX_QUANTITY)

        products = Product.objects.in_bulk([int(key) for key in merged])
        for key in list(merged):
            product = products.get(int(key))
            if product is None or not product.is_active:
                del merged[key]
                if product is not None:
                    messages.warning(
                        request,
                        f"{product.name} is no longer available and was removed from your cart.",
                        fail_silently=True,
                    )

        saved.lines.all().delete()
        SavedCartLine.objects.bulk_create(
            SavedCartLine(cart=saved, product_id=int(key), quantity=quantity)
            for key, quantity in merged.items()
        )
        saved.save(update_fields=["updated_at"])

    Cart(request).replace(merged)
    session[OWNER_KEY] = user.pk
    if brought_back and merged:
        messages.info(
            request,
            "Welcome back: the items you saved earlier are in your cart again.",
            fail_silently=True,
        )
