"""Coupon templates: platform coupons and red packets (operators), store coupons (merchants), live-stream coupons
(dropped in a live room by livestream, closed when the stream ends)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.money import ZERO
from promotions.lock_objects import locked_coupon_template
from promotions.models import CouponTemplate
from promotions.services.validation import MAX_STREAM_ID, Errors, check_window, money_value, whole_number
from shops.models import Brand, Store

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


MAX_VALID_DAYS = 3650


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
        instance = locked_coupon_template(instance.pk)
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


def close_live_coupons(*, live_stream_id: int, at=None) -> int:
    """The stream ended: its live-channel coupons can no longer be claimed (held ones stay usable). Returns how many
    templates closed."""
    return CouponTemplate.objects.filter(live_stream_id=live_stream_id, channel=CouponTemplate.Channel.LIVE).update(
        claim_until=at or timezone.now()
    )
