"""Shopper-facing insight pages: the recommendation fragments (loaded by htmx into cached pages), the tracking
opt-out, and the 凑单 helper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from insight import basket, events, selectors, services
from insight.recs import serving


@require_safe
def recommendations_fragment(request):
    context = request.GET.get("context", "home")
    if context not in serving.CONTEXTS:
        raise Http404
    sections = []
    if context == "product":
        try:
            product_id = int(request.GET.get("product", ""))
        except ValueError:
            raise Http404 from None
        sections.append((_("Viewed this, also viewed"), serving.recommend(
            "product", product_id=product_id, kinds=("viewed",), limit=6)))  # fmt: skip
        sections.append((_("Bought this, also bought"), serving.recommend(
            "product", product_id=product_id, kinds=("bought",), limit=6)))  # fmt: skip
    elif context == "cart":
        cart = serving.cart_products(request.user, request.session.session_key)
        sections.append((_("You may also like"), serving.recommend("cart", cart_product_ids=cart, limit=8)))
    else:
        title = _("Guess you like") if request.user.is_authenticated else _("Popular now")
        sections.append((title, serving.recommend("home", user=request.user, limit=12)))
    return render(request, "insight/_recommendations.html", {"sections": [s for s in sections if s[1]]})


@login_required
def tracking(request):
    if request.method == "POST":
        opted_out = request.POST.get("opted_out") == "1"
        services.set_opt_out(request.user, opted_out)
        messages.success(request, _("Your choice is saved."))
        response = redirect("insight:tracking")
        if opted_out:
            response.set_cookie(events.OPT_OUT_COOKIE, "1", max_age=events.VISITOR_COOKIE_MAX_AGE, samesite="Lax")
        else:
            response.delete_cookie(events.OPT_OUT_COOKIE)
        return response
    return render(request, "insight/tracking.html", {"opted_out": selectors.opted_out(request.user)})


@require_safe
def basket_fill(request):
    return render(request, "insight/_basket_fill.html", {"gaps": basket.gaps_for_request(request)})
