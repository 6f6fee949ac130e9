"""The product page's offers (领券 / 跨店满减 / 到手价): a small per-visitor fragment the cached product page loads.

到手价 is what the engine charges this shopper for the chosen SKU and quantity with every promotion in force and
the best of the coupons they hold, per unit; shipping is not part of it (it is never discounted)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.shortcuts import render
from django.views.decorators.http import require_safe

from marketplace.api import DomainError
from promotions import selectors
from promotions.pricing import CartItemInput, price_cart
from shops.models import SKU


@require_safe
def product_offers(request):
    sku_id, quantity = request.GET.get("sku", ""), request.GET.get("quantity", "1")
    sku = None
    if sku_id.isdigit() and len(sku_id) < 12:
        sku = SKU.objects.select_related("product", "store").filter(pk=int(sku_id), is_active=True).first()
    if sku is None:
        return render(request, "storefront/promotions/_offers.html", {})
    quantity = int(quantity) if quantity.isdigit() and 0 < int(quantity) < 1000 else 1
    shopper = request.user if request.user.is_authenticated else None
    try:
        priced = price_cart(shopper=shopper, items=[CartItemInput("offer", sku, quantity)], coupon_choice="best")
    except DomainError:
        priced = None
    line = priced.lines[0] if priced and priced.lines else None
    unit_price = (line.payable / quantity).quantize(Decimal("0.01"), rounding=ROUND_DOWN) if line else None
    context = {
        "sku": sku,
        "line": line,
        "unit_price": unit_price,
        "hints": priced.hints if priced else [],
        "coupons": selectors.coupon_center(request.user, store_id=sku.store_id)[:3],
    }
    response = render(request, "storefront/promotions/_offers.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
