"""The header's cart count, read from the session alone: no SQL query."""

from django.http import HttpRequest

from cart.cart import session_item_count


def cart(request: HttpRequest) -> dict[str, int]:
    # A visitor without a session cookie has an empty session: reading it
    # touches neither the database nor the cache.
    session = getattr(request, "session", None)
    return {"cart_count": session_item_count(session) if session is not None else 0}
