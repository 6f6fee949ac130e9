"""Every write of promotions: claiming coupons, consuming and releasing them with orders, campaign budgets,
live-stream price windows, and creating/editing campaigns, store promotions and coupon templates.

Rules that can fail raise ``ValidationError`` ({field: message}) for edits and ``DomainError`` for operations, so
forms show them beside the field and the API answers 400 with the message; nothing is saved when they fail.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import ZERO
from promotions.models import (
    Campaign,
    CampaignEnrollment,
    CampaignSpend,
    CouponTemplate,
    IssuedCoupon,
    StorePromotion,
)
from promotions.pricing import PricedCart
from shops.models import SKU, Brand, Store

# ---------------------------------------------------------------------------------------------------------------
# Claiming coupons


def claim(shopper, template: CouponTemplate, *, live_stream_id: int | None = None, at=None) -> IssuedCoupon:
    """Give ``shopper`` one coupon of ``template``.

    Total quantity: a conditional UPDATE (issued_count < total_quantity) that also locks the template row, so
    concurrent claims of one template queue behind each other and the count is exact. Per-shopper limit: counted
    under that lock, and backed by the unique (template, shopper, seq) constraint.
    Live-channel coupons are claimable only in their live room (``live_stream_id`` must match).
    """
    at = at or timezone.now()
    if shopper is None or not shopper.is_authenticated:
        raise DomainError(_("Log in to claim coupons."), code="login_required", status_code=403)
    check_claimable(template, live_stream_id, at)
    try:
        with transaction.atomic():
            taken = CouponTemplate.objects.filter(pk=template.pk, is_active=True, issued_count__lt=F("total_quantity"))
            if not taken.update(issued_count=F("issued_count") + 1):
                raise DomainError(_("All of these coupons have been claimed."), code="sold_out", status_code=409)
            held = IssuedCoupon.objects.filter(template=template, shopper=shopper).count()
            if held >= template.per_shopper_limit:
                raise DomainError(limit_message(template), code="limit_reached", status_code=409)
            valid_from, valid_to = template.validity_for_claim(at)
            return IssuedCoupon.objects.create(
                template=template,
                shopper=shopper,
                seq=held + 1,
                valid_from=valid_from,
                valid_to=valid_to,
                live_stream_id=live_stream_id if template.channel == CouponTemplate.Channel.LIVE else None,
                claimed_at=at,
            )
    except IntegrityError as exc:  # the unique seq caught a concurrent claim by the same shopper
        raise DomainError(limit_message(template), code="limit_reached", status_code=409) from exc


def limit_message(template: CouponTemplate) -> str:
    return _("You can hold at most %(limit)s of this coupon.") % {"limit": template.per_shopper_limit}


def check_claimable(template: CouponTemplate, live_stream_id: int | None, at) -> None:
    if template.channel == CouponTemplate.Channel.TARGETED:
        raise DomainError(_("This coupon is sent by the store to chosen shoppers."), code="targeted_only")
    if template.channel == CouponTemplate.Channel.LIVE and live_stream_id != template.live_stream_id:
        raise DomainError(_("This coupon can only be claimed in its live stream."), code="live_only")
    if not template.is_active:
        raise DomainError(_("This coupon is no longer offered."), code="not_offered")
    if template.claim_from and at < template.claim_from:
        raise DomainError(_("This coupon cannot be claimed yet."), code="not_started")
    if not template.claimable_now(at):
        raise DomainError(_("This coupon can no longer be claimed."), code="claim_ended")


def expire_coupons(at=None) -> int:
    """Mark held coupons past their end as expired (a sweep; pricing already ignores them). Returns how many."""
    at = at or timezone.now()
    return IssuedCoupon.objects.filter(status__in=IssuedCoupon.USABLE_STATUSES, valid_to__lt=at).update(
        status=IssuedCoupon.Status.EXPIRED
    )


# ---------------------------------------------------------------------------------------------------------------
# Orders: consume and release


def consume_for_order(*, shopper, priced: PricedCart, order_id: int) -> None:
    """Inside the caller's transaction: mark the priced cart's coupons USED by ``order_id`` and charge each
    campaign's budget with its platform-funded part. Raises DomainError (the caller rolls back) when a coupon is
    no longer usable or a budget would be overspent. Coupons are locked in id order so concurrent checkouts that
    share coupons cannot deadlock; budgets use a conditional UPDATE (spent + x <= budget)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume_for_order must run inside the order's transaction")
    now = timezone.now()
    ids = sorted(set(priced.coupons_used))
    coupons = list(IssuedCoupon.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(coupons) != len(ids):
        raise DomainError(_("A coupon in this order no longer exists."), code="coupon_unusable")
    for coupon in coupons:
        if coupon.shopper_id != shopper.pk or not coupon.usable_at(now):
            raise DomainError(
                _("The coupon “%(name)s” can no longer be used; please review your order.")
                % {"name": coupon.template.name},
                code="coupon_unusable",
                status_code=409,
            )
    IssuedCoupon.objects.filter(pk__in=ids).update(
        status=IssuedCoupon.Status.USED, order_id=order_id, used_at=now, returned_at=None
    )
    for campaign_id, amount in sorted(priced.campaign_platform_funding().items()):
        charge_campaign(campaign_id, amount, order_id)


def charge_campaign(campaign_id: int, amount: Decimal, order_id: int) -> None:
    if amount <= 0:
        return
    fits = Q(budget__isnull=True) | Q(budget__gte=F("spent") + amount)
    if not Campaign.objects.filter(pk=campaign_id).filter(fits).update(spent=F("spent") + amount):
        name = Campaign.objects.filter(pk=campaign_id).values_list("name", flat=True).first() or campaign_id
        raise DomainError(
            _("The campaign “%(name)s” has run out of budget; please review your order.") % {"name": name},
            code="budget_exhausted",
            status_code=409,
        )
    try:
        with transaction.atomic():
            CampaignSpend.objects.create(campaign_id=campaign_id, order_id=order_id, amount=amount)
    except IntegrityError as exc:
        raise DomainError(_("This order has already used its promotions."), code="already_consumed") from exc


@transaction.atomic
def release_for_order(*, order_id: int) -> None:
    release_for_orders(order_ids=[order_id])


def release_for_orders(*, order_ids: list[int]) -> None:
    """Give back what the orders used (cancelled unpaid order, or every sub-order closed before shipping):
    their coupons go back to the shoppers (usable again while still valid) and the campaigns' spend is returned.
    Idempotent: a second call finds nothing left to release."""
    now = timezone.now()
    coupons = list(
        IssuedCoupon.objects.select_for_update()
        .filter(order_id__in=order_ids, status=IssuedCoupon.Status.USED)
        .order_by("pk")
    )
    for coupon in coupons:
        expired = coupon.valid_to is not None and coupon.valid_to < now
        coupon.status = IssuedCoupon.Status.EXPIRED if expired else IssuedCoupon.Status.RETURNED
        coupon.returned_at = now
        coupon.order_id = None
        coupon.save(update_fields=["status", "returned_at", "order_id"])
    spends = list(
        CampaignSpend.objects.select_for_update()
        .filter(order_id__in=order_ids, released_at__isnull=True)
        .order_by("pk")
    )
    for spend in spends:
        Campaign.objects.filter(pk=spend.campaign_id).update(spent=F("spent") - spend.amount)
        spend.released_at = now
        spend.save(update_fields=["released_at"])


# ---------------------------------------------------------------------------------------------------------------
# Live-stream prices (called by livestream when a stream goes live / ends)


def open_live_prices(*, live_stream_id: int) -> int:
    """The stream is live: its item discounts are in force. Returns how many promotions opened."""
    return StorePromotion.objects.filter(live_stream_id=live_stream_id).update(live_open=True)


def close_live_prices(*, live_stream_id: int) -> int:
    return StorePromotion.objects.filter(live_stream_id=live_stream_id).update(live_open=False)


# ---------------------------------------------------------------------------------------------------------------
# Validation shared by pages and API


class Errors:
    """Collects field errors and raises them together, so a form shows every problem at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def money_value(errors: Errors, data: dict, field: str, *, required=True, positive=False) -> Decimal | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter an amount."))
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        errors.add(field, _("Use at most 2 decimal places."))
        return None
    if amount < 0:
        errors.add(field, _("Must not be negative."))
        return None
    if positive and amount == 0:
        errors.add(field, _("Must be greater than 0."))
        return None
    return amount


def check_window(errors: Errors, start, end, *, start_field="valid_from", end_field="valid_to") -> None:
    if start and end and end <= start:
        errors.add(end_field, _("The end must be after the start."))


def check_every_off_cap(errors: Errors, every, off, cap) -> None:
    if every is not None and off is not None and off > every:
        errors.add("off", _("The amount off cannot be larger than the step it is given for."))
    if cap is not None and off is not None and cap < off:
        errors.add("cap", _("The cap cannot be smaller than one step's amount off."))


# ---------------------------------------------------------------------------------------------------------------
# Campaigns (operators)

CAMPAIGN_FIELDS = (
    "name", "description", "starts_at", "ends_at", "every", "off", "cap", "brands", "platform_share", "budget",
    "exclusive", "is_active",
)  # fmt: skip


def clean_campaign(data: dict, instance: Campaign | None = None) -> dict:
    errors = Errors()
    if not (data.get("name") or "").strip():
        errors.add("name", _("This field is required."))
    for field in ("starts_at", "ends_at"):
        if not isinstance(data.get(field), datetime.datetime):
            errors.add(field, _("This field is required."))
    check_window(errors, data.get("starts_at"), data.get("ends_at"), start_field="starts_at", end_field="ends_at")
    every = money_value(errors, data, "every", positive=True)
    off = money_value(errors, data, "off", positive=True)
    cap = money_value(errors, data, "cap", required=False, positive=True)
    check_every_off_cap(errors, every, off, cap)
    share = data.get("platform_share")
    if share is None or share == "":
        share = Decimal("0")
    try:
        share = Decimal(str(share))
        if not Decimal("0") <= share <= Decimal("1") or share != share.quantize(Decimal("0.01")):
            errors.add("platform_share", _("The platform share is a fraction between 0.00 and 1.00."))
    except (InvalidOperation, ValueError):
        errors.add("platform_share", _("The platform share is a fraction between 0.00 and 1.00."))
    budget = money_value(errors, data, "budget", required=False)
    if budget is not None and instance is not None and budget < instance.spent:
        errors.add(
            "budget", _("The budget cannot be below what is already spent (%(spent)s).") % {"spent": instance.spent}
        )
    brands = list(data.get("brands") or [])
    if any(brand not in Brand.values for brand in brands):
        errors.add("brands", _("Unknown brand."))
    errors.raise_if_any()
    cleaned = {key: data[key] for key in CAMPAIGN_FIELDS if key in data}
    cleaned.update(every=every, off=off, cap=cap, budget=budget, platform_share=share, brands=sorted(set(brands)))
    cleaned["name"] = data["name"].strip()
    return cleaned


@transaction.atomic
def save_campaign(*, by, data: dict, instance: Campaign | None = None) -> Campaign:
    cleaned = clean_campaign(data, instance)
    if instance is None:
        return Campaign.objects.create(created_by=by, **cleaned)
    instance = Campaign.objects.select_for_update().get(pk=instance.pk)
    cleaned = clean_campaign(data, instance)  # again under the lock: spent may have moved
    for key, value in cleaned.items():
        setattr(instance, key, value)
    instance.save()
    return instance


def enroll(*, by, campaign: Campaign, store: Store) -> CampaignEnrollment:
    if not campaign.is_active or campaign.ends_at <= timezone.now():
        raise DomainError(_("This campaign is not open for enrollment."), code="campaign_closed")
    if campaign.brands and store.brand not in campaign.brands:
        raise DomainError(_("This campaign is not open to %(brand)s stores.") % {"brand": store.get_brand_display()})
    enrollment, _created = CampaignEnrollment.objects.get_or_create(
        campaign=campaign, store=store, defaults={"enrolled_by": by}
    )
    return enrollment


def withdraw(*, campaign: Campaign, store: Store) -> None:
    if campaign.starts_at <= timezone.now() < campaign.ends_at:
        raise DomainError(_("A store cannot leave a campaign that is running."), code="campaign_running")
    CampaignEnrollment.objects.filter(campaign=campaign, store=store).delete()


# ---------------------------------------------------------------------------------------------------------------
# Store promotions (merchants)


def clean_store_promotion(store: Store, data: dict, instance: StorePromotion | None = None) -> tuple[dict, list[SKU]]:
    errors = Errors()
    kind = data.get("kind") or (instance.kind if instance else "")
    if kind not in StorePromotion.Kind.values:
        errors.add("kind", _("Choose a kind of promotion."))
        errors.raise_if_any()
    if not (data.get("name") or "").strip():
        errors.add("name", _("This field is required."))
    check_window(errors, data.get("valid_from"), data.get("valid_to"))
    cleaned = {
        "kind": kind,
        "name": (data.get("name") or "").strip(),
        "valid_from": data.get("valid_from"),
        "valid_to": data.get("valid_to"),
        "exclusive": bool(data.get("exclusive")),
        "is_active": data.get("is_active", True) is not False,
        "discount_type": "",
        "value": None,
        "live_stream_id": None,
        "tiers": [],
        "every": None,
        "off": None,
        "cap": None,
        "threshold": None,
    }
    skus: list[SKU] = []
    if kind == StorePromotion.Kind.ITEM_DISCOUNT:
        skus = clean_item_discount(errors, store, data, cleaned)
    elif kind == StorePromotion.Kind.STORE_THRESHOLD:
        clean_store_threshold(errors, data, cleaned)
    else:
        clean_first_order_gift(errors, store, data, cleaned, instance)
    errors.raise_if_any()
    return cleaned, skus


def clean_item_discount(errors: Errors, store: Store, data: dict, cleaned: dict) -> list[SKU]:
    discount_type = data.get("discount_type")
    if discount_type not in StorePromotion.DiscountType.values:
        errors.add("discount_type", _("Choose amount off, percent off or a fixed price."))
    value = money_value(errors, data, "value", positive=discount_type != StorePromotion.DiscountType.FIXED_PRICE)
    if discount_type == StorePromotion.DiscountType.PERCENT_OFF and value is not None and value >= 100:
        errors.add("value", _("A percentage off is between 0 and 100."))
    sku_ids = [int(pk) for pk in data.get("skus") or [] if str(pk).isdigit()]
    skus = list(SKU.objects.filter(pk__in=sku_ids, store=store))
    if not sku_ids:
        errors.add("skus", _("Choose at least one SKU."))
    elif len(skus) != len(set(sku_ids)):
        errors.add("skus", _("Choose SKUs of this store only."))
    fixed = discount_type == StorePromotion.DiscountType.FIXED_PRICE and value is not None
    if fixed and any(value >= sku.price for sku in skus):
        errors.add("value", _("A fixed price must be below the SKU's current price."))
    live = data.get("live_stream_id")
    if live not in (None, ""):
        try:
            cleaned["live_stream_id"] = int(live)
            if not 1 <= cleaned["live_stream_id"] <= MAX_STREAM_ID:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("live_stream_id", _("Enter a live stream number."))
    cleaned.update(discount_type=discount_type or "", value=value)
    return skus


def clean_store_threshold(errors: Errors, data: dict, cleaned: dict) -> None:
    tiers = data.get("tiers") or []
    if tiers:
        if any(data.get(field) not in (None, "") for field in ("every", "off", "cap")):
            errors.add("tiers", _("Use either tiers or “for every X take off Y”, not both."))
        cleaned["tiers"] = clean_tiers(errors, tiers)
        return
    every = money_value(errors, data, "every", positive=True)
    off = money_value(errors, data, "off", positive=True)
    cap = money_value(errors, data, "cap", required=False, positive=True)
    check_every_off_cap(errors, every, off, cap)
    cleaned.update(every=every, off=off, cap=cap)


def clean_tiers(errors: Errors, tiers) -> list[dict]:
    result, previous = [], None
    for position, tier in enumerate(tiers, start=1):
        tier_errors = Errors()
        threshold = money_value(tier_errors, tier if isinstance(tier, dict) else {}, "threshold", positive=True)
        off = money_value(tier_errors, tier if isinstance(tier, dict) else {}, "off", positive=True)
        for field, messages in tier_errors.errors.items():
            for message in messages:
                errors.add(
                    "tiers",
                    _("Tier %(n)s %(field)s: %(message)s") % {"n": position, "field": field, "message": message},
                )
        if threshold is None or off is None:
            continue
        if off > threshold:
            errors.add("tiers", _("Tier %(n)s: the amount off cannot be larger than its threshold.") % {"n": position})
        if previous and (threshold <= previous[0] or off <= previous[1]):
            errors.add(
                "tiers", _("Tier %(n)s: each tier needs a higher threshold and a larger amount off.") % {"n": position}
            )
        previous = (threshold, off)
        result.append({"threshold": f"{threshold:.2f}", "off": f"{off:.2f}"})
    return result


def clean_first_order_gift(errors: Errors, store: Store, data: dict, cleaned: dict, instance) -> None:
    off = money_value(errors, data, "off", positive=True)
    threshold = money_value(errors, data, "threshold", required=False) or ZERO
    if off is not None and threshold > 0 and off > threshold:
        errors.add("off", _("The amount off cannot be larger than the minimum spend."))
    cleaned.update(off=off, threshold=threshold)
    # Only one first-order gift applies per store: two whose windows overlap make no sense.
    overlapping = StorePromotion.objects.filter(store=store, kind=StorePromotion.Kind.FIRST_ORDER_GIFT, is_active=True)
    if instance is not None:
        overlapping = overlapping.exclude(pk=instance.pk)
    start, end = data.get("valid_from"), data.get("valid_to")
    if end:
        overlapping = overlapping.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=end))
    if start:
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    if cleaned["is_active"] and overlapping.exists():
        errors.add("valid_from", _("This store already has a first-order gift in this period."))


@transaction.atomic
def save_store_promotion(*, store: Store, data: dict, instance: StorePromotion | None = None) -> StorePromotion:
    cleaned, skus = clean_store_promotion(store, data, instance)
    if instance is None:
        instance = StorePromotion(store=store)
    for key, value in cleaned.items():
        setattr(instance, key, value)
    instance.save()
    instance.skus.set(skus)
    return instance


# ---------------------------------------------------------------------------------------------------------------
# Coupon templates (platform coupons and red packets by operators, store coupons by merchants)

LOCKED_ONCE_CLAIMED = ("kind", "off", "threshold", "valid_days", "valid_from", "valid_to")


def clean_coupon_template(data: dict, *, store: Store | None, instance: CouponTemplate | None = None) -> dict:
    errors = Errors()
    kind = data.get("kind") or (instance.kind if instance else "")
    if store is not None:
        kind = CouponTemplate.Kind.STORE_COUPON
    if kind not in CouponTemplate.Kind.values or (store is None and kind == CouponTemplate.Kind.STORE_COUPON):
        errors.add("kind", _("Choose a platform coupon or a red packet."))
        errors.raise_if_any()
    if not (data.get("name") or "").strip():
        errors.add("name", _("This field is required."))
    off = money_value(errors, data, "off", positive=True)
    threshold = money_value(errors, data, "threshold", required=False) or ZERO
    if kind == CouponTemplate.Kind.RED_PACKET and threshold > 0:
        errors.add("threshold", _("A red packet has no minimum spend."))
    if kind == CouponTemplate.Kind.STORE_COUPON and threshold == 0:
        errors.add("threshold", _("A store coupon needs a minimum spend greater than 0."))
    if off is not None and threshold > 0 and off > threshold:
        errors.add("off", _("The face value cannot be larger than the minimum spend."))
    total = whole_number(errors, data, "total_quantity", minimum=1)
    limit = whole_number(errors, data, "per_shopper_limit", minimum=1, default=1)
    if instance is not None and total is not None and total < instance.issued_count:
        errors.add(
            "total_quantity",
            _("%(n)s have already been claimed; the total cannot be lower.") % {"n": instance.issued_count},
        )
    cleaned = {
        "kind": kind,
        "name": (data.get("name") or "").strip(),
        "off": off,
        "threshold": threshold,
        "total_quantity": total,
        "per_shopper_limit": limit,
        "is_active": data.get("is_active", True) is not False,
        "brands": [],
        **clean_coupon_windows(errors, data),
        **clean_channel(errors, data),
    }
    if kind == CouponTemplate.Kind.PLATFORM_COUPON:
        brands = sorted(set(data.get("brands") or []))
        if any(brand not in Brand.values for brand in brands):
            errors.add("brands", _("Unknown brand."))
        cleaned["brands"] = brands
    if instance is not None and instance.issued_count > 0:
        for field in LOCKED_ONCE_CLAIMED:
            if field in cleaned and cleaned[field] != getattr(instance, field):
                errors.add(field, _("Shoppers already hold this coupon; this cannot change any more."))
    errors.raise_if_any()
    return cleaned


MAX_COUNT = 2_147_483_647  # PositiveIntegerField
MAX_VALID_DAYS = 3650
MAX_STREAM_ID = 2**63 - 1


def whole_number(
    errors: Errors, data: dict, field: str, *, minimum: int, default: int | None = None, maximum: int = MAX_COUNT
) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        if default is None:
            errors.add(field, _("This field is required."))
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("Enter a whole number."))
        return None
    if number < minimum:
        errors.add(field, _("Must be at least %(n)s.") % {"n": minimum})
        return None
    if number > maximum:
        errors.add(field, _("Must be at most %(n)s.") % {"n": maximum})
        return None
    return number


def clean_coupon_windows(errors: Errors, data: dict) -> dict:
    claim_from, claim_until = data.get("claim_from"), data.get("claim_until")
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    valid_days = data.get("valid_days") or None
    check_window(errors, claim_from, claim_until, start_field="claim_from", end_field="claim_until")
    if valid_days is not None:
        try:
            valid_days = int(valid_days)
            if not 1 <= valid_days <= MAX_VALID_DAYS:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("valid_days", _("Enter a number of days from 1 to %(max)s.") % {"max": MAX_VALID_DAYS})
        if valid_from or valid_to:
            errors.add("valid_days", _("Give either fixed dates or a number of days after claiming, not both."))
    elif not valid_to:
        errors.add("valid_to", _("Give an end date or a number of days after claiming."))
    check_window(errors, valid_from, valid_to)
    if valid_to and claim_from and valid_to <= claim_from:
        errors.add("valid_to", _("The coupon would expire before it can be claimed."))
    if valid_to and claim_until and claim_until > valid_to:
        errors.add("claim_until", _("Claiming cannot go on after the coupon expires."))
    return {
        "claim_from": claim_from,
        "claim_until": claim_until,
        "valid_from": valid_from if valid_days is None else None,
        "valid_to": valid_to if valid_days is None else None,
        "valid_days": valid_days,
    }


def clean_channel(errors: Errors, data: dict) -> dict:
    channel = data.get("channel") or CouponTemplate.Channel.CENTER
    if channel not in CouponTemplate.Channel.values:
        errors.add("channel", _("Choose the coupon center or a live stream."))
        return {}
    live = data.get("live_stream_id")
    if channel == CouponTemplate.Channel.LIVE:
        try:
            stream_id = int(live)
            if not 1 <= stream_id <= MAX_STREAM_ID:
                raise ValueError
            return {"channel": channel, "live_stream_id": stream_id}
        except (TypeError, ValueError):
            errors.add("live_stream_id", _("A live-stream coupon needs the live stream's number."))
            return {}
    return {"channel": channel, "live_stream_id": None}


@transaction.atomic
def save_coupon_template(
    *, by, data: dict, store: Store | None = None, instance: CouponTemplate | None = None
) -> CouponTemplate:
    if instance is not None:
        instance = CouponTemplate.objects.select_for_update().get(pk=instance.pk)
    cleaned = clean_coupon_template(data, store=store, instance=instance)
    if instance is None:
        instance = CouponTemplate(store=store, created_by=by)
    for key, value in cleaned.items():
        setattr(instance, key, value)
    instance.save()
    if instance.kind == CouponTemplate.Kind.PLATFORM_COUPON:
        if "categories" in data:
            instance.categories.set(data.get("categories") or [])
        if "stores" in data:
            instance.stores.set(data.get("stores") or [])
    return instance
