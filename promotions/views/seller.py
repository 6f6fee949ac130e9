"""Workbench pages (merchants): store promotions, store coupons and campaign enrollment. Always the current store;
another store's ids are 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from promotions import selectors
from promotions.forms import CouponTemplateForm, StorePromotionForm, apply_errors
from promotions.models import Campaign, CouponTemplate, StorePromotion
from promotions.services import campaigns, coupons, store_promotions
from shops.permissions import Capability
from shops.workbench import seller_view


@seller_view(Capability.MANAGE_PROMOTIONS)
def seller_promotions(request):
    store = request.store
    return render(request, "seller/promotions/index.html", {
        "promotions": selectors.store_promotions(store), "coupons": selectors.store_coupons(store),
        "kinds": StorePromotion.Kind.choices,
    })  # fmt: skip


@seller_view(Capability.MANAGE_PROMOTIONS)
def seller_promotion_edit(request, pk: int | None = None, kind: str | None = None):
    store = request.store
    promotion = get_object_or_404(StorePromotion, pk=pk, store=store) if pk else None
    kind = promotion.kind if promotion else kind
    if kind not in StorePromotion.Kind.values:
        return redirect("promotions:seller_promotions")
    initial = StorePromotionForm.initial_from(promotion) if promotion else None
    form = StorePromotionForm(request.POST or None, initial=initial, store=store, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            store_promotions.save_store_promotion(store=store, data=form.data_for_service(), instance=promotion)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Promotion saved."))
            return redirect("promotions:seller_promotions")
    return render(request, "seller/promotions/promotion_form.html", {
        "form": form, "promotion": promotion, "kind": kind, "kind_label": StorePromotion.Kind(kind).label,
    })  # fmt: skip


@seller_view(Capability.MANAGE_PROMOTIONS)
def seller_coupon_edit(request, pk: int | None = None):
    store = request.store
    template = get_object_or_404(CouponTemplate, pk=pk, store=store) if pk else None
    initial = CouponTemplateForm.initial_from(template) if template else None
    form = CouponTemplateForm(request.POST or None, initial=initial, store=store)
    if request.method == "POST" and form.is_valid():
        try:
            coupons.save_coupon_template(by=request.user, data=form.data_for_service(), store=store, instance=template)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Store coupon saved."))
            return redirect("promotions:seller_promotions")
    return render(request, "seller/promotions/coupon_form.html", {"form": form, "template": template})


@seller_view(Capability.MANAGE_PROMOTIONS)
def seller_campaigns(request):
    store = request.store
    if request.method == "POST":
        campaign = get_object_or_404(Campaign, pk=request.POST.get("campaign"))
        try:
            with transaction.atomic():
                if request.POST.get("action") == "withdraw":
                    campaigns.withdraw(campaign=campaign, store=store)
                    messages.success(request, _("Your store left the campaign."))
                else:
                    campaigns.enroll(by=request.user, campaign=campaign, store=store)
                    messages.success(request, _("Your store is enrolled."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("promotions:seller_campaigns")
    return render(request, "seller/promotions/campaigns.html", {"campaigns": selectors.campaigns_for_store(store)})
