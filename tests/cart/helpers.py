"""Reading and writing a test client's session as stale or tampered data would be."""

from django.test import Client


def store_in_session(client: Client, **values) -> None:
    session = client.session
    session.update(values)
    session.save()


def session_cart(client: Client) -> object:
    return client.session.get("cart")


def header_count(html: str) -> str:
    """The number the header shows in its cart link."""
    start = html.index("data-cart-count>") + len("data-cart-count>")
    return html[start : html.index("<", start)]
