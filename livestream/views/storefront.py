"""Storefront pages: the live list, the room, buying and claiming from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from livestream import selectors, services
from marketplace.api import DomainError

# -- storefront ---------------------------------------------------------------------------------------------------


@require_safe
def live_list(request):
    return render(request, "storefront/live/list.html", selectors.live_list())


@require_safe
def watch(request, pk: int):
    stream = get_object_or_404(selectors.public_streams(), pk=pk)
    return render(
        request,
        "storefront/live/watch.html",
        {
            "stream": stream,
            "featured": [(item, selectors.featured_payload(item)) for item in selectors.featured_products(stream)],
            "drops": [selectors.drop_payload(drop) for drop in selectors.open_drops(stream)],
            "ws_path": f"/ws/live/{stream.pk}/",
        },
    )


@require_safe
def products_partial(request, pk: int):
    """The product list, re-fetched by the page (htmx) when the host changes products or live prices."""
    stream = get_object_or_404(selectors.public_streams(), pk=pk)
    featured = [(item, selectors.featured_payload(item)) for item in selectors.featured_products(stream)]
    return render(request, "storefront/live/_products.html", {"stream": stream, "featured": featured})


@require_POST
def add_to_cart(request, pk: int):
    """Add a featured product to the cart without leaving the room; the line carries the stream's attribution."""
    from orders import cart as carts

    stream = get_object_or_404(selectors.public_streams(), pk=pk)
    context = {"stream": stream, "ok": False}
    if not request.user.is_authenticated:
        context["message"] = _("Log in to buy.")
        context["login"] = True
        return render(request, "storefront/live/_cart_result.html", context)
    sku_id = request.POST.get("sku", "")
    sku_pk = int(sku_id) if sku_id.isdigit() and int(sku_id) <= services.MAX_ID else 0
    if not stream.featured.filter(product__skus__pk=sku_pk).exists():
        context["message"] = _("This product is not in the stream.")
        return render(request, "storefront/live/_cart_result.html", context, status=400)
    try:
        carts.add_item(
            carts.cart_for(request),
            sku_id=sku_id,
            quantity=request.POST.get("quantity", "1"),
            source=stream.source,
            shopper=request.user,
        )
    except DomainError as exc:
        context["message"] = exc.message
        return render(request, "storefront/live/_cart_result.html", context, status=400)
    context.update(ok=True, message=_("Added to your cart."))
    if not request.htmx:  # a page without JavaScript: back to the room with a message
        messages.success(request, context["message"])
        return redirect("livestream:watch", pk=pk)
    return render(request, "storefront/live/_cart_result.html", context)


@require_POST
def claim(request, pk: int, drop_id: int):
    """Claim a dropped coupon over HTTP (the room does it over the socket; this serves pages without it)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("livestream:watch", args=[pk]))
    try:
        services.claim_drop(pk, drop_id, request.user)
        messages.success(request, _("Coupon claimed. It is in My coupons."))
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    return redirect("livestream:watch", pk=pk)
