"""Reads: a staff user's merchant, its customers (filtered, sorted), a customer's orders at the merchant only,
segment counts and their trend, a shopper's follows, favourites and footprints."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from customers.filters import DEFAULT_SORT, SORTS
from customers.models import (
    SEGMENT_FLAGS,
    Customer,
    Footprint,
    ProductFavourite,
    Segment,
    SegmentSettings,
    SegmentSnapshot,
    StoreFollow,
    TargetedCampaign,
)
from customers.services.footprints import KEEP_DAYS
from orders.models import SubOrder
from shops.models import Merchant, StaffRole, Store, StoreStaff
from shops.permissions import Capability, stores_for


def merchants_of(user) -> QuerySet[Merchant]:
    """Merchants in any of whose stores the user may view customers (every staff role may)."""
    return Merchant.objects.filter(pk__in=stores_for(user, Capability.VIEW_STORE).values("merchant_id")).order_by("pk")


def merchant_for(user, merchant_id=None) -> Merchant:
    """The merchant a staff request acts for: the one asked for (404 if not theirs) or their first."""
    merchants = merchants_of(user)
    if merchant_id not in (None, ""):
        return get_object_or_404(merchants, pk=merchant_id if str(merchant_id).isdigit() else 0)
    merchant = merchants.first()
    if merchant is None:
        raise Http404("Not merchant staff.")
    return merchant


def visible_store_ids(user, merchant: Merchant) -> list[int]:
    return list(stores_for(user, Capability.VIEW_STORE).filter(merchant=merchant).values_list("pk", flat=True))


def marketing_store_ids(user, merchant: Merchant) -> list[int]:
    """The merchant's stores in which the user may run promotions (targeted coupons, segment parameters)."""
    stores = stores_for(user, Capability.MANAGE_PROMOTIONS).filter(merchant=merchant)
    return list(stores.values_list("pk", flat=True))


def campaigns(merchant: Merchant) -> QuerySet[TargetedCampaign]:
    return TargetedCampaign.objects.filter(merchant=merchant).select_related("store", "template")


def sees_contacts(user, merchant: Merchant) -> bool:
    """Phones and addresses are shown in full only to an owner of one of the merchant's stores."""
    return StoreStaff.objects.filter(user=user, store__merchant=merchant, role=StaffRole.OWNER).exists()


def settings_of(merchant: Merchant) -> SegmentSettings:
    return SegmentSettings.objects.filter(merchant=merchant).first() or SegmentSettings(merchant=merchant)


def customers(merchant: Merchant, cleaned: dict | None = None, *, include_followers: bool = False) -> QuerySet:
    """The merchant's customers matching a cleaned filter (customers.filters.clean). Without a segment or
    ``include_followers`` only shoppers who bought are listed; segment "follower" lists those who never did."""
    cleaned = cleaned or {}
    rows = Customer.objects.filter(merchant=merchant).select_related("shopper")
    segment = cleaned.get("segment")
    if segment:
        rows = rows.filter(**{SEGMENT_FLAGS[Segment(segment)]: True})
    elif not include_followers:
        rows = rows.filter(orders__gt=0)
    if cleaned.get("q"):
        q = cleaned["q"]
        rows = rows.filter(
            Q(shopper__username__icontains=q) | Q(shopper__display_name__icontains=q) | Q(shopper__phone__endswith=q)
        )
    if cleaned.get("store"):
        rows = rows.filter(store_ids__contains=[cleaned["store"]])
    if "min_spend" in cleaned:
        rows = rows.filter(spend__gte=cleaned["min_spend"])
    if "max_spend" in cleaned:
        rows = rows.filter(spend__lte=cleaned["max_spend"])
    if "min_orders" in cleaned:
        rows = rows.filter(orders__gte=cleaned["min_orders"])
    if "max_orders" in cleaned:
        rows = rows.filter(orders__lte=cleaned["max_orders"])
    now = timezone.now()
    if "ordered_within_days" in cleaned:
        rows = rows.filter(last_order_at__gte=now - datetime.timedelta(days=cleaned["ordered_within_days"]))
    if "no_order_for_days" in cleaned:
        rows = rows.filter(last_order_at__lt=now - datetime.timedelta(days=cleaned["no_order_for_days"]))
    return rows.order_by(*SORTS[cleaned.get("sort") or DEFAULT_SORT])


def customer(merchant: Merchant, shopper_id: int) -> Customer:
    return get_object_or_404(Customer.objects.select_related("shopper"), merchant=merchant, shopper_id=shopper_id)


def customer_orders(merchant: Merchant, shopper_id: int, store_ids: list[int]) -> QuerySet[SubOrder]:
    """The shopper's sub-orders at this merchant's stores that the staff user may see; never another merchant's."""
    return (
        SubOrder.objects.filter(order__shopper_id=shopper_id, store__merchant=merchant, store_id__in=store_ids)
        .select_related("store", "order")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def stores_named(store_ids: list[int]) -> dict[int, Store]:
    return Store.objects.in_bulk(store_ids)


def segment_counts(merchant: Merchant) -> dict[str, int]:
    flags = {segment.value: Count("pk", filter=Q(**{flag: True})) for segment, flag in SEGMENT_FLAGS.items()}
    counts = Customer.objects.filter(merchant=merchant).aggregate(
        customers=Count("pk", filter=Q(orders__gt=0)), **flags
    )
    return counts


def trend(merchant: Merchant, days: int = 30) -> list[SegmentSnapshot]:
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return list(SegmentSnapshot.objects.filter(merchant=merchant, day__gte=since).order_by("day"))


def follower_counts(store_ids: list[int]) -> dict[int, int]:
    return dict(
        StoreFollow.objects.filter(store_id__in=store_ids).values_list("store_id").annotate(n=Count("pk")).order_by()
    )


def follows_of(user) -> QuerySet[StoreFollow]:
    return (
        StoreFollow.objects.filter(shopper=user)
        .select_related("store")
        .annotate(follower_count=Count("store__followers"))
        .order_by("-created_at", "-id")
    )


def favourites_of(user) -> QuerySet[ProductFavourite]:
    return ProductFavourite.objects.filter(shopper=user).select_related("product", "product__store")


def footprints_of(user, now=None) -> QuerySet[Footprint]:
    since = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    return Footprint.objects.filter(shopper=user, viewed_at__gte=since).select_related("product", "product__store")


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:3] + "*" * max(len(digits) - 7, 1) + digits[-4:]


def contact(shopper, *, full: bool) -> dict:
    """Phone and default address of a shopper as staff may see them: masked unless ``full``."""
    address = shopper.addresses.order_by("-is_default", "-id").first()
    phone = shopper.phone or (address.phone if address else "")
    if address is None:
        place = ""
    elif full:
        place = " ".join(part for part in (address.province, address.city, address.district, address.detail) if part)
    else:
        place = " ".join(part for part in (address.province, address.city) if part) + " ****"
    recipient = address.recipient if address else ""
    if not full and recipient:
        recipient = recipient[0] + "*" * max(len(recipient) - 1, 1)
    return {"phone": phone if full else mask_phone(phone) if phone else "", "address": place, "recipient": recipient}
