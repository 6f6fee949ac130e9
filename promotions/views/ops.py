"""Console pages (operators): campaigns and platform coupons, each with a preview on a sample cart."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import operator_view
from marketplace.api import DomainError
from promotions import selectors
from promotions.adapter import preview_cart
from promotions.api import cart_items
from promotions.forms import CampaignForm, CouponTemplateForm, SampleCartForm, apply_errors
from promotions.models import Campaign, CampaignEnrollment
from promotions.services import campaigns, coupons


@operator_view
def ops_campaigns(request):
    rows = Campaign.objects.all()
    for campaign in rows:
        campaign.store_count = CampaignEnrollment.objects.filter(campaign=campaign).count()
    return render(request, "ops/promotions/campaigns.html", {"campaigns": rows})


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
                    pk=campaign.pk if campaign else None, **campaigns.clean_campaign(form.data_for_service(), campaign)
                )
                preview, preview_error = run_preview(sample, campaign=draft)
            except ValidationError as exc:
                apply_errors(form, exc)
        else:
            try:
                saved = campaigns.save_campaign(by=request.user, data=form.data_for_service(), instance=campaign)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("promotions:ops_campaign_edit", pk=saved.pk)
    enrollments = campaign.enrollments.select_related("store").order_by("store__name") if campaign else []
    return render(request, "ops/promotions/campaign_form.html", {
        "form": form, "campaign": campaign, "sample": sample, "preview": preview, "preview_error": preview_error,
        "enrollments": enrollments, "overlaps": overlaps_for(form, campaign),
    })  # fmt: skip


def overlaps_for(form: CampaignForm, campaign: Campaign | None):
    """The campaigns whose window overlaps the one being entered (or saved): their stores cannot join this one."""
    starts_at = ends_at = None
    if form.is_bound and form.is_valid():
        data = form.data_for_service()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    elif campaign is not None:
        starts_at, ends_at = campaign.starts_at, campaign.ends_at
    if starts_at is None or ends_at is None or starts_at > ends_at:
        return []
    rows = selectors.overlapping_campaigns(starts_at, ends_at, exclude_id=campaign.pk if campaign else None)
    return list(rows.annotate(store_count=Count("enrollments")))


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
                saved = coupons.save_coupon_template(by=request.user, data=form.data_for_service(), instance=template)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Coupon saved."))
                return redirect("promotions:ops_coupon_edit", pk=saved.pk)
    return render(request, "ops/promotions/coupon_form.html", {
        "form": form, "template": template, "sample": sample, "preview": preview, "preview_error": preview_error,
    })  # fmt: skip
