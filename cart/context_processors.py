"""The header's cart count, read from the session alone: no SQL query."""

from django.http import HttpRequest

SESSION_KEY = "cart"


def cart(request: HttpRequest) -> dict[str, int]:
    lines = request.session.get(SESSION_KEY) or {}
    try:
        count = sum(int(quantity) for quantity in lines.values())
    except (AttributeError, TypeError, ValueError):
        count = 0
    return {"cart_count": max(count, 0)}
