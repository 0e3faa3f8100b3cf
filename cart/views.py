"""
The shop, the cart and the demo checkout.

Every change is a POST (with CSRF) answered by a redirect and a message; a
form error re-renders the page it came from with the error beside the field,
with status 400. The "Add to cart" form also answers JSON when a script asks
for it (cart/static/cart/cart.js), so adding need not reload the page.
"""

from http import HTTPStatus

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, ListView

from cart import services
from cart.cart import Cart
from cart.forms import AddToCartForm, CartLineForm
from cart.models import MAX_QUANTITY, Product
from newsroom.pagecache import cacheable


class ProductListView(ListView):
    template_name = "cart/shop.html"
    context_object_name = "products"

    def get_queryset(self):
        return Product.objects.active()


class ProductDetailView(DetailView):
    template_name = "cart/product_detail.html"
    context_object_name = "product"

    def get_queryset(self):
        return Product.objects.active()

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=AddToCartForm(product=self.object), **kwargs)


def _wants_json(request: HttpRequest) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


@require_http_methods(["GET", "HEAD", "POST"])
def cart_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id)
    if request.method != "POST":
        # A pasted or followed link: adding takes a button press (a POST), so
        # show the product with its button rather than an empty 405 page.
        if not product.is_active:
            raise Http404("No such product.")
        messages.info(request, f"To add {product.name} to your cart, use the “Add to cart” button.")
        return redirect(product)
    form = AddToCartForm(request.POST, product=product)
    if not form.is_valid():
        # An inactive product is "not found" in the shop; a bad quantity is a bad request.
        status = HTTPStatus.BAD_REQUEST if product.is_active else HTTPStatus.NOT_FOUND
        if _wants_json(request):
            errors = [error for errors in form.errors.values() for error in errors]
            return JsonResponse({"errors": errors}, status=status)
        return render(
            request, "cart/product_detail.html", {"product": product, "form": form}, status=status
        )

    cart = Cart(request)
    asked = form.cleaned_data["quantity"]
    before = cart.quantity_of(product)
    quantity = services.cart_add(cart=cart, product=product, quantity=asked)
    if quantity < before + asked:
        message = f"Your cart now holds {MAX_QUANTITY} of {product.name}, the most we allow."
    else:
        items = f" ({asked} items)" if asked > 1 else ""
        message = f"Added {product.name}{items} to your cart."
    if _wants_json(request):
        return JsonResponse({"message": message, "count": cart.count})
    messages.success(request, message)
    return redirect("cart:detail")


def _render_cart(
    request: HttpRequest,
    cart: Cart,
    *,
    invalid: CartLineForm | None = None,
    invalid_product_id: int | None = None,
) -> HttpResponse:
    """The cart page; `invalid` is a quantity form with errors to show on its line."""
    lines = [
        {
            "line": line,
            "form": invalid
            if line.product.pk == invalid_product_id
            else CartLineForm(
                initial={"quantity": line.quantity}, auto_id=f"id_line_{line.product.pk}_%s"
            ),
        }
        for line in cart
    ]
    return render(
        request,
        "cart/cart_detail.html",
        {"cart": cart, "lines": lines},
        status=HTTPStatus.BAD_REQUEST if invalid else HTTPStatus.OK,
    )


@cacheable(tags=["shop"])
@require_safe
def cart_detail(request: HttpRequest) -> HttpResponse:
    return _render_cart(request, Cart(request))


@require_POST
def cart_update(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id)
    cart = Cart(request)
    if product not in cart:
        messages.info(request, f"{product.name} is not in your cart.")
        return redirect("cart:detail")
    if not product.is_active:
        services.cart_remove(cart=cart, product=product)
        messages.warning(
            request, f"{product.name} is no longer available and was removed from your cart."
        )
        return redirect("cart:detail")
    form = CartLineForm(request.POST, auto_id=f"id_line_{product.pk}_%s")
    if not form.is_valid():
        return _render_cart(request, cart, invalid=form, invalid_product_id=product.pk)
    if form.cleaned_data["quantity"] == 0:
        services.cart_remove(cart=cart, product=product)
        messages.success(request, f"Removed {product.name} from your cart.")
        return redirect("cart:detail")
    services.cart_set_quantity(cart=cart, product=product, quantity=form.cleaned_data["quantity"])
    messages.success(request, f"{product.name}: quantity set to {form.cleaned_data['quantity']}.")
    return redirect("cart:detail")


@require_POST
def cart_remove(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id)
    cart = Cart(request)
    if product in cart:
        services.cart_remove(cart=cart, product=product)
        messages.success(request, f"Removed {product.name} from your cart.")
    return redirect("cart:detail")


@require_POST
def cart_clear(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    if len(cart):
        services.cart_clear(cart=cart)
        messages.success(request, "Your cart is now empty.")
    return redirect("cart:detail")


@require_safe
def checkout(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    return render(request, "cart/checkout.html", {"cart": cart, "lines": list(cart)})


@require_POST
def place_order(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    count = cart.count
    lines = list(cart)
    if not lines:
        messages.info(request, "Your cart is empty, so there was nothing to order.")
        return redirect("cart:detail")
    if cart.count != count:
        # Something went off sale since the reader saw the summary: let them look again.
        return redirect("cart:checkout")
    totals = " and ".join(str(total) for total in cart.totals)
    services.cart_clear(cart=cart)
    messages.success(
        request,
        f"Demo order placed: {count} {'item' if count == 1 else 'items'}, {totals}. "
        "No payment was taken.",
    )
    return redirect("cart:thanks")


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "cart/thanks.html")
