"""Reads: the coupon center, a shopper's coupons, what merchants and operators list."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon, StorePromotion
from shops.models import SKU, Brand, Store

MY_COUPON_TABS = ("usable", "used", "expired")


def coupon_center(user=None, at=None, *, store_id: int | None = None) -> list[CouponTemplate]:
    """Coupons shoppers can claim now in the coupon center (not live-only ones), with ``held_by_me`` set.
    With ``store_id``: only that store's coupons (what a store page shows)."""
    at = at or timezone.now()
    offered = CouponTemplate.objects.filter(is_active=True, channel=CouponTemplate.Channel.CENTER)
    if store_id is not None:
        offered = offered.filter(store_id=store_id)
    templates = list(
        offered.filter(Q(claim_from__isnull=True) | Q(claim_from__lte=at))
        .filter(Q(claim_until__isnull=True) | Q(claim_until__gte=at))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=at))
        .select_related("store")
        .prefetch_related("categories", "stores")
        .order_by("kind", "-off", "id")
    )
    held = {}
    if user is not None and user.is_authenticated:
        held = dict(
            IssuedCoupon.objects.filter(shopper=user, template__in=templates)
            .values_list("template_id")
            .annotate(n=Count("id"))
        )
    for template in templates:
        template.held_by_me = held.get(template.pk, 0)
        template.can_claim_more = template.held_by_me < template.per_shopper_limit and template.remaining > 0
    return templates


def live_coupons(live_stream_id: int) -> QuerySet[CouponTemplate]:
    """What livestream shows in a room: the coupons claimable only there."""
    return CouponTemplate.objects.filter(
        is_active=True, channel=CouponTemplate.Channel.LIVE, live_stream_id=live_stream_id
    ).order_by("-off", "id")


def my_coupons(user, tab: str = "usable", at=None) -> QuerySet[IssuedCoupon]:
    at = at or timezone.now()
    coupons = IssuedCoupon.objects.filter(shopper=user).select_related("template", "template__store")
    not_ended = Q(valid_to__isnull=True) | Q(valid_to__gte=at)
    if tab == "used":
        return coupons.filter(status=IssuedCoupon.Status.USED).order_by("-used_at", "-id")
    if tab == "expired":
        held_but_ended = Q(status__in=IssuedCoupon.USABLE_STATUSES) & ~not_ended
        return coupons.filter(Q(status=IssuedCoupon.Status.EXPIRED) | held_but_ended).order_by("-valid_to", "-id")
    return coupons.filter(not_ended, status__in=IssuedCoupon.USABLE_STATUSES).order_by("valid_to", "id")


def store_promotions(store: Store) -> QuerySet[StorePromotion]:
    return StorePromotion.objects.filter(store=store).prefetch_related("skus").order_by("-created_at", "-id")


def store_coupons(store: Store) -> QuerySet[CouponTemplate]:
    return CouponTemplate.objects.filter(store=store, kind=CouponTemplate.Kind.STORE_COUPON).order_by("-created_at")


def platform_coupons() -> QuerySet[CouponTemplate]:
    return (
        CouponTemplate.objects.exclude(kind=CouponTemplate.Kind.STORE_COUPON)
        .prefetch_related("categories", "stores")
        .order_by("-created_at", "-id")
    )


def campaigns_for_store(store: Store, at=None) -> list[Campaign]:
    """Campaigns a store may enroll in (active, not ended, open to its brand), with ``enrolled`` set."""
    at = at or timezone.now()
    campaigns = [
        campaign
        for campaign in Campaign.objects.filter(is_active=True, ends_at__gt=at).order_by("starts_at", "id")
        if not campaign.brands or store.brand in campaign.brands
    ]
    enrolled = set(
        CampaignEnrollment.objects.filter(store=store, campaign__in=campaigns).values_list("campaign_id", flat=True)
    )
    for campaign in campaigns:
        campaign.enrolled = campaign.pk in enrolled
        campaign.running = campaign.starts_at <= at < campaign.ends_at
    return campaigns


def overlapping_campaigns(starts_at, ends_at, *, exclude_id: int | None = None):
    """Active campaigns whose window shares a moment with [starts_at, ends_at] (both ends count: a campaign is in
    force at its end). A store takes part in at most one of them at a time."""
    rows = Campaign.objects.filter(is_active=True, starts_at__lte=ends_at, ends_at__gte=starts_at)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    return rows.order_by("starts_at", "id")


def store_overlap(campaign: Campaign, stores) -> CampaignEnrollment | None:
    """The first enrolment of one of ``stores`` (ids or a queryset of them) in another active campaign whose window
    overlaps ``campaign``'s: what keeps a store in one cross-store campaign at a time."""
    return (
        CampaignEnrollment.objects.filter(
            campaign__in=overlapping_campaigns(campaign.starts_at, campaign.ends_at, exclude_id=campaign.pk),
            store__in=stores,
        )
        .select_related("campaign", "store")
        .order_by("campaign__starts_at", "campaign_id", "store__name")
        .first()
    )


def sample_skus(limit: int = 300) -> list[SKU]:
    """SKUs an operator can put in a preview cart: an equal share per brand, so a cross-store cart with both brands
    can always be built (one brand's SKUs alone would fill the list in a big catalog)."""
    rows = (
        SKU.objects.filter(is_active=True, product__status="active")
        .select_related("product", "store")
        .order_by("store__brand", "store__name", "product__title", "id")
    )
    share = limit // len(Brand.values)
    return [sku for brand in Brand.values for sku in rows.filter(store__brand=brand)[:share]]
