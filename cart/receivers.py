"""
Signal receivers: the saved cart at log-in (a service does it) and the shop's
cached pages when a product changes. Connected by importing
this module in `CartConfig.ready()`.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cart.models import Product
from cart.services import cart_merge_on_login
from newsroom.pagecache import purge


@receiver(user_logged_in, dispatch_uid="cart_merge_on_login")
def merge_cart_on_login(sender, request, user, **kwargs) -> None:
    # user_logged_in is sent by django.contrib.auth.login(), which every way of
    # logging in goes through (allauth, the admin, the test client).
    if request is not None:
        cart_merge_on_login(request=request, user=user)


@receiver(post_save, sender=Product, dispatch_uid="cart_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="cart_product_deleted")
def product_changed(sender, instance, **kwargs) -> None:
    """A product saved or deleted: the shop's cached pages (after the commit)."""
    purge(["shop", f"product-{instance.pk}"])
