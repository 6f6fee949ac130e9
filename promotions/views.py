"""Pages: coupon center and my coupons (shoppers), campaigns and platform coupons with previews (console), store
promotions, store coupons and campaign enrollment (workbench). Rules live in promotions.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from marketplace.api import DomainError
from promotions import selectors, services
from promotions.api import cart_items
from promotions.forms import CampaignForm, CouponTemplateForm, SampleCartForm, StorePromotionForm, apply_errors
from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, StorePromotion
from promotions.pricing import preview_cart
from shops.permissions import Capability
from shops.workbench import seller_view

# ---------------------------------------------------------------------------------------------------------------
# Storefront


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
        services.claim(request.user, template)
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


# ---------------------------------------------------------------------------------------------------------------
# Console (operators)


@operator_view
def ops_campaigns(request):
    campaigns = Campaign.objects.all()
    for campaign in campaigns:
        campaign.store_count = CampaignEnrollment.objects.filter(campaign=campaign).count()
    return render(request, "ops/promotions/campaigns.html", {"campaigns": campaigns})


def run_preview(sample: SampleCartForm, **extras):
    """Price the sample cart (or say what is wrong with it)."""
    if not sample.is_valid() or not sample.chosen():
        return None, _("Pick at least one SKU for the sample cart.")
    rows = [{"sku": sku_id, "quantity": quantity} for sku_id, quantity in sample.chosen()]
    try:
        items = cart_items(rows)
        priced = preview_cart(items=items, **extras)
    except DomainError as exc:
        return None, exc.message
    skus = {item.key: item.sku for item in items}
    lines = [{"line": line, "sku": skus[line.key]} for line in priced.lines]
    return {"priced": priced, "lines": lines}, None


@operator_view
def ops_campaign_edit(request, pk: int | None = None):
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    initial = CampaignForm.initial_from(campaign) if campaign else None
    form = CampaignForm(request.POST or None, initial=initial)
    sample = SampleCartForm(request.POST or None)
    preview, preview_error = None, None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            try:
                draft = Campaign(
                    pk=campaign.pk if campaign else None, **services.clean_campaign(form.data_for_service(), campaign)
                )
                preview, preview_error = run_preview(sample, campaign=draft)
            except ValidationError as exc:
                apply_errors(form, exc)
        else:
            try:
                saved = services.save_campaign(by=request.user, data=form.data_for_service(), instance=campaign)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("promotions:ops_campaign_edit", pk=saved.pk)
    enrollments = campaign.enrollments.select_related("store").order_by("store__name") if campaign else []
    return render(request, "ops/promotions/campaign_form.html", {
        "form": form, "campaign": campaign, "sample": sample, "preview": preview, "preview_error": preview_error,
        "enrollments": enrollments,
    })  # fmt: skip


@operator_view
def ops_coupons(request):
    return render(request, "ops/promotions/coupons.html", {"templates": selectors.platform_coupons()})


@operator_view
def ops_coupon_edit(request, pk: int | None = None):
    template = get_object_or_404(selectors.platform_coupons(), pk=pk) if pk else None
    initial = CouponTemplateForm.initial_from(template) if template else None
    form = CouponTemplateForm(request.POST or None, initial=initial)
    sample = SampleCartForm(request.POST or None)
    preview, preview_error = None, None
    if request.method == "POST":
        if request.POST.get("action") == "preview" and template is not None:
            preview, preview_error = run_preview(sample, template=template)
        elif form.is_valid():
            try:
                saved = services.save_coupon_template(by=request.user, data=form.data_for_service(), instance=template)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Coupon saved."))
                return redirect("promotions:ops_coupon_edit", pk=saved.pk)
    return render(request, "ops/promotions/coupon_form.html", {
        "form": form, "template": template, "sample": sample, "preview": preview, "preview_error": preview_error,
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Workbench (merchants): always the current store; another store's ids are 404


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
            services.save_store_promotion(store=store, data=form.data_for_service(), instance=promotion)
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
            services.save_coupon_template(by=request.user, data=form.data_for_service(), store=store, instance=template)
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
                    services.withdraw(campaign=campaign, store=store)
                    messages.success(request, _("Your store left the campaign."))
                else:
                    services.enroll(by=request.user, campaign=campaign, store=store)
                    messages.success(request, _("Your store is enrolled."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("promotions:seller_campaigns")
    return render(request, "seller/promotions/campaigns.html", {"campaigns": selectors.campaigns_for_store(store)})
