"""Store promotions (merchants create and edit them) and live-stream prices: item discounts tied to a stream, in
force only while it is live (livestream calls these when a stream goes live, ends or drops a live price)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from marketplace.money import ZERO
from promotions.models import StorePromotion
from promotions.services.validation import MAX_STREAM_ID, Errors, check_every_off_cap, check_window, money_value
from shops.models import SKU, Store


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
        "first_order_scope": StorePromotion.FirstOrderScope.STORE,
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
    scope = data.get("first_order_scope") or StorePromotion.FirstOrderScope.STORE
    if scope not in StorePromotion.FirstOrderScope.values:
        errors.add("first_order_scope", _("Choose new to this store or new to any of your stores."))
    cleaned.update(off=off, threshold=threshold, first_order_scope=scope)
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


def open_live_prices(*, live_stream_id: int) -> int:
    """The stream is live: its item discounts are in force. Returns how many promotions opened."""
    return StorePromotion.objects.filter(live_stream_id=live_stream_id).update(live_open=True)


def close_live_prices(*, live_stream_id: int) -> int:
    return StorePromotion.objects.filter(live_stream_id=live_stream_id).update(live_open=False)


def retire_live_price(*, promotion_id: int) -> None:
    """A product left the stream: its live price stops. Deactivated rather than deleted, so orders already priced
    with it keep a valid reference."""
    StorePromotion.objects.filter(pk=promotion_id).update(is_active=False, live_open=False)
