"""Cart -> engine: the engine request for a loaded context (lines, stores, promotions and coupons as engine ids)."""

from __future__ import annotations

from decimal import Decimal

from marketplace.money import ZERO
from promotions import engine
from promotions.adapter.loading import PricingContext, live_source
from promotions.models import Campaign, CouponTemplate, IssuedCoupon, StorePromotion


def build_request(context: PricingContext, items, at, chosen, excluded: set[int]) -> engine.QuoteRequest:
    shopper_id = str(getattr(context.shopper, "pk", None) or "anonymous")
    line_skus = {item.key: engine_sku(item) for item in items}
    variants: dict[int, set[str]] = {}
    for item in items:
        variants.setdefault(item.sku.pk, set()).add(line_skus[item.key])
    return engine.QuoteRequest(
        at=at,
        shopper=engine.Shopper(
            id=shopper_id, first_order_stores=frozenset(f"s{pk}" for pk in context.first_order_stores)
        ),
        # stores in the order the cart first mentions them, so the priced stores follow the cart
        stores=tuple(
            engine.Store(id=f"s{pk}", brand=context.store_brands[pk])
            for pk in dict.fromkeys(item.sku.store_id for item in items)
        ),
        lines=tuple(
            engine.Line(
                id=item.key,
                store=f"s{item.sku.store_id}",
                sku=line_skus[item.key],
                category=context.categories[item.sku.pk],
                unit_price=item.sku.price,
                quantity=item.quantity,
            )
            for item in items
        ),
        promotions=tuple(engine_promotions(context, excluded, variants)),
        coupons=tuple(engine_coupon(context, coupon) for coupon in context.coupons.values()),
        coupon_choice=chosen,
    )


def engine_sku(item) -> str:
    """A line bought in a live room is its own SKU to the engine (``k<id>@live<stream>``), so a live price can
    reach it and not the same SKU bought from the product page; other item discounts name every variant."""
    stream_id = live_source(item.source)
    return f"k{item.sku.pk}" if stream_id is None else f"k{item.sku.pk}@live{stream_id}"


def promotion_engine_skus(context: PricingContext, promotion: StorePromotion, variants) -> list[str]:
    if promotion.live_stream_id is None:
        named: set[str] = set()
        for pk in context.promotion_skus[promotion.pk]:
            named |= {f"k{pk}"} | variants.get(pk, set())
        return sorted(named)
    room = f"@live{promotion.live_stream_id}"
    return sorted(f"k{pk}{room}" for pk in context.live_price_skus.get(promotion.pk, ()))


def engine_promotions(context: PricingContext, excluded: set[int], variants: dict[int, set[str]]):
    for promotion in context.promotions.values():
        built = engine_store_promotion(promotion, promotion_engine_skus(context, promotion, variants))
        if built is not None:
            yield built
    for campaign in context.campaigns.values():
        if (campaign.pk or 0) in excluded or budget_exhausted(campaign):
            continue
        yield engine.CrossStore(
            id=f"c{campaign.pk or 0}",
            valid_from=campaign.starts_at,
            valid_to=campaign.ends_at,
            exclusive=campaign.exclusive,
            platform_share=campaign.platform_share,
            every=campaign.every,
            off=campaign.off,
            cap=campaign.cap,
            stores=tuple(f"s{pk}" for pk in sorted(context.enrolled[campaign.pk or 0])),
            brands=tuple(campaign.brands) or None,
        )


def budget_exhausted(campaign: Campaign) -> bool:
    return campaign.platform_share > 0 and campaign.budget is not None and campaign.spent >= campaign.budget


def engine_store_promotion(promotion: StorePromotion, sku_ids: list[str]):
    common = {
        "id": f"sp{promotion.pk}",
        "valid_from": promotion.valid_from,
        "valid_to": promotion.valid_to,
        "exclusive": promotion.exclusive,
    }
    kind = promotion.kind
    if kind == StorePromotion.Kind.ITEM_DISCOUNT:
        if not sku_ids or promotion.value is None or promotion.discount_type not in StorePromotion.DiscountType.values:
            return None
        return engine.ItemDiscount(**common, skus=tuple(sku_ids), **{promotion.discount_type: promotion.value})
    store = f"s{promotion.store_id}"
    if kind == StorePromotion.Kind.STORE_THRESHOLD:
        if promotion.tiers:
            tiers = tuple(engine.Tier(Decimal(t["threshold"]), Decimal(t["off"])) for t in promotion.tiers)
            return engine.StoreThreshold(**common, store=store, tiers=tiers)
        return engine.StoreThreshold(**common, store=store, every=promotion.every, off=promotion.off, cap=promotion.cap)
    return engine.FirstOrderGift(**common, store=store, off=promotion.off, threshold=promotion.threshold or ZERO)


def engine_coupon(context: PricingContext, coupon: IssuedCoupon):
    template = coupon.template
    common = {"id": f"ic{coupon.pk}", "valid_from": coupon.valid_from, "valid_to": coupon.valid_to}
    if template.kind == CouponTemplate.Kind.STORE_COUPON:
        return engine.StoreCoupon(
            **common, store=f"s{template.store_id}", threshold=template.threshold, off=template.off
        )
    if template.kind == CouponTemplate.Kind.RED_PACKET:
        return engine.RedPacket(**common, off=template.off)
    stores = tuple(f"s{store.pk}" for store in template.stores.all())
    return engine.PlatformCoupon(
        **common,
        threshold=template.threshold,
        off=template.off,
        brands=tuple(template.brands) or None,
        categories=context.coupon_category_slugs.get(template.pk),
        stores=stores or None,
    )
