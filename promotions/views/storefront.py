"""Storefront pages: the coupon center (claim with htmx) and my coupons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.api import DomainError
from promotions import selectors
from promotions.models import CouponTemplate
from promotions.services import claims


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
