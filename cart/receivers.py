"""Signal receivers: each only hands over to a service."""

from cart.services import cart_merge_on_login
from newsroom.pagecache import purge


def merge_cart_on_login(sender, request, user, **kwargs) -> None:
    # user_logged_in is sent by django.contrib.auth.login(), which every way of
    # logging in goes through (allauth, the admin, the test client).
    if request is not None:
        cart_merge_on_login(request=request, user=user)


def product_changed(sender, instance, **kwargs) -> None:
    """A product saved or deleted: the shop's cached pages (after the commit)."""
    purge(["shop", f"product-{instance.pk}"])
