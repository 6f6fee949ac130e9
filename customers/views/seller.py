"""Merchant workbench: the merchant's customers across its stores, segments (definitions, parameters, counts and
trend), and targeted coupon campaigns. Every query starts from the stores the user works in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers import filters, selectors
from customers.charts import trend_svg
from customers.definitions import definitions
from customers.forms import CampaignForm, SegmentSettingsForm
from customers.models import Segment
from customers.services import segments, targeting
from marketplace.api import DomainError
from shops.permissions import Capability
from shops.workbench import seller_view

PAGE_SIZE = 30


def _merchant(request):
    return request.store.merchant


def _without_page(query: QueryDict) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


@seller_view(Capability.VIEW_STORE)
def customer_list(request):
    merchant = _merchant(request)
    segments.ensure_fresh(merchant.pk)
    try:
        cleaned = filters.clean(request.GET, allowed_stores=set(selectors.visible_store_ids(request.user, merchant)))
        errors = {}
    except filters.FilterError as exc:
        cleaned, errors = {}, exc.errors
    rows = selectors.customers(merchant, cleaned)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    stores = selectors.stores_named(sorted({pk for row in page for pk in row.store_ids}))
    for row in page:
        row.stores = [stores[pk] for pk in row.store_ids if pk in stores]
    counts = selectors.segment_counts(merchant)
    merchant_stores = list(merchant.stores.order_by("brand", "name"))
    followers = selectors.follower_counts([store.pk for store in merchant_stores])
    for store in merchant_stores:
        store.follower_count = followers.get(store.pk, 0)
    return render(
        request,
        "seller/customers/list.html",
        {
            "page": page,
            "cleaned": cleaned,
            "errors": errors,
            "query": _without_page(request.GET),
            "segments": [(segment.value, segment.label, counts[segment.value]) for segment in Segment],
            "total": counts["customers"],
            "sorts": [
                ("-last_order_at", _("Latest order")),
                ("-spend", _("Spend: high to low")),
                ("spend", _("Spend: low to high")),
                ("-orders", _("Most orders")),
                ("-first_order_at", _("Newest customers")),
            ],
            "merchant_stores": merchant_stores,
        },
    )


@seller_view(Capability.VIEW_STORE)
def customer_detail(request, pk: int):
    merchant = _merchant(request)
    customer = get_object_or_404(selectors.customers(merchant, include_followers=True), pk=pk)
    full = selectors.sees_contacts(request.user, merchant)
    suborders = selectors.customer_orders(
        merchant, customer.shopper_id, selectors.visible_store_ids(request.user, merchant)
    )
    page = Paginator(suborders, PAGE_SIZE).get_page(request.GET.get("page"))
    stores = selectors.stores_named(customer.store_ids)
    return render(
        request,
        "seller/customers/detail.html",
        {
            "customer": customer,
            "contact": selectors.contact(customer.shopper, full=full),
            "masked": not full,
            "page": page,
            "stores": [stores[pk] for pk in customer.store_ids if pk in stores],
            "segment_labels": [Segment(value).label for value in customer.segments],
        },
    )


@seller_view(Capability.VIEW_STORE)
def segments_page(request):
    merchant = _merchant(request)
    may_edit = bool(selectors.marketing_store_ids(request.user, merchant))
    current = selectors.settings_of(merchant)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Your role cannot change segments.")
        form = SegmentSettingsForm(request.POST, instance=current)
        if form.is_valid():
            try:
                segments.save_settings(merchant.pk, {name: form.cleaned_data[name] for name in form.Meta.fields})
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Segment settings saved and segments recomputed."))
                return redirect("customers:seller_segments")
    else:
        segments.ensure_fresh(merchant.pk)
        current = selectors.settings_of(merchant)
        form = SegmentSettingsForm(instance=current)
    counts = selectors.segment_counts(merchant)
    return render(
        request,
        "seller/customers/segments.html",
        {
            "form": form,
            "may_edit": may_edit,
            "settings": current,
            "total": counts["customers"],
            "rows": [(segment, label, text, counts[segment]) for segment, label, text in definitions(current)],
            "chart": trend_svg(selectors.trend(merchant), _("Customers per segment, by day")),
        },
    )


@require_POST
@seller_view(Capability.VIEW_STORE)
def recompute(request):
    count = segments.recompute([_merchant(request).pk])
    messages.success(request, _("Segments recomputed for %(count)s customers.") % {"count": count})
    return redirect(request.POST.get("next") or "customers:seller_segments")


@seller_view(Capability.MANAGE_PROMOTIONS)
def campaign_list(request):
    merchant = _merchant(request)
    campaigns = list(selectors.campaigns(merchant)[:100])
    for campaign in campaigns:
        campaign.report = targeting.report(campaign) if campaign.sent_at else None
    return render(request, "seller/customers/campaigns.html", {"campaigns": campaigns})


@seller_view(Capability.MANAGE_PROMOTIONS)
def campaign_new(request):
    merchant = _merchant(request)
    stores = list(merchant.stores.filter(pk__in=selectors.marketing_store_ids(request.user, merchant)))
    form = CampaignForm(request.POST or None, stores=stores, initial={"store": request.store.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audience = filters.audience(filters.clean(form.audience()))
            campaign = targeting.create(
                by=request.user, store=next(store for store in stores if store.pk == data["store"]),
                audience=audience, name=data["name"], off=data["off"], threshold=data["threshold"],
                valid_days=data["valid_days"], budget=data["budget"], per_shopper_limit=data["per_shopper_limit"],
                control_percent=data["control_percent"],
            )  # fmt: skip
        except filters.FilterError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Campaign saved. Check the audience, then send it."))
            return redirect("customers:seller_campaign", pk=campaign.pk)
    return render(request, "seller/customers/campaign_new.html", {"form": form})


@seller_view(Capability.MANAGE_PROMOTIONS)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(selectors.campaigns(_merchant(request)), pk=pk)
    audience = None if campaign.sent_at else len(targeting.audience_ids(campaign))
    return render(
        request,
        "seller/customers/campaign.html",
        {"campaign": campaign, "report": targeting.report(campaign) if campaign.sent_at else None,
         "audience_now": audience},
    )  # fmt: skip


@require_POST
@seller_view(Capability.MANAGE_PROMOTIONS)
def campaign_send(request, pk: int):
    merchant = _merchant(request)
    campaign = get_object_or_404(
        selectors.campaigns(merchant), pk=pk, store_id__in=selectors.marketing_store_ids(request.user, merchant)
    )
    try:
        issued = targeting.send(campaign.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)s coupons sent.") % {"count": issued})
    return redirect("customers:seller_campaign", pk=campaign.pk)
