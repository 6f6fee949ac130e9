"""Storefront pages: the coupon center (claim with htmx), my coupons, and the product page's offers.

The offers (领券 / 跨店满减 / 到手价) are a small per-visitor fragment the cached product page loads: 到手价 is what
the engine charges this shopper for the chosen SKU and quantity with every promotion in force and the best of the
coupons they hold, per unit; shipping is not part of it (it is never discounted)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.api import DomainError
from promotions import selectors
from promotions.adapter import CartItemInput, price_cart
from promotions.models import CouponTemplate
from promotions.services import claims
from shops.models import SKU


def coupon_center(request):
    templates = selectors.coupon_center(request.user)
    return render(request, "storefront/promotions/coupon_center.html", {"templates": templates})


@require_POST
def claim_coupon(request, pk: int):
    template = get_object_or_404(CouponTemplate.objects.filter(is_active=True, channel="center"), pk=pk)
    error = None
    if not request.user.is_authenticated:
        login = f"{reverse('accounts:login')}?next={reverse('promotions:coupon_center')}"
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        return redirect(login)
    try:
        claims.claim(request.user, template)
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        template = next((t for t in selectors.coupon_center(request.user) if t.pk == pk), template)
        return render(request, "storefront/promotions/_coupon_card.html", {"template": template, "error": error,
                                                                          "just_claimed": error is None})  # fmt: skip
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Coupon claimed: it is in My coupons."))
    return redirect("promotions:coupon_center")


@login_required
def my_coupons(request):
    tab = request.GET.get("tab", "usable")
    if tab not in selectors.MY_COUPON_TABS:
        tab = "usable"
    coupons = selectors.my_coupons(request.user, tab)
    tabs = [("usable", _("Ready to use")), ("used", _("Used")), ("expired", _("Expired"))]
    return render(request, "storefront/promotions/my_coupons.html", {"coupons": coupons, "tab": tab, "tabs": tabs})


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
