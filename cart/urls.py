from django.urls import path

from cart import views
from newsroom import converters  # noqa: F401 (registers <id:...>)

app_name = "cart"

urlpatterns = [
    path("shop/", views.ProductListView.as_view(), name="shop"),
    path("shop/<slug:slug>/", views.ProductDetailView.as_view(), name="product"),
    path("cart/", views.cart_detail, name="detail"),
    path("cart/add/<id:product_id>/", views.cart_add, name="add"),
    path("cart/update/<id:product_id>/", views.cart_update, name="update"),
    path("cart/remove/<id:product_id>/", views.cart_remove, name="remove"),
    path("cart/clear/", views.cart_clear, name="clear"),
    path("cart/checkout/", views.checkout, name="checkout"),
    path("cart/checkout/place/", views.place_order, name="place_order"),
    path("cart/checkout/thanks/", views.thanks, name="thanks"),
]
