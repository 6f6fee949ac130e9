"""Engine -> shopper: the priced cart in model ids with a label for every discount and hint, why a coupon cannot be
used (in the shopper's words), and every held coupon as an option."""

from __future__ import annotations

from django.utils.translation import gettext as _

from promotions import engine
from promotions.adapter.loading import PricingContext
from promotions.adapter.mapping import build_request
from promotions.adapter.results import (
    SOURCE_CAMPAIGN,
    SOURCE_STORE_PROMOTION,
    CouponOption,
    Hint,
    LineDiscount,
    PricedCart,
    PricedLine,
    PricedStore,
    parse_source,
)
from promotions.models import CouponTemplate

COUPON_LANES = {
    CouponTemplate.Kind.STORE_COUPON: "store",
    CouponTemplate.Kind.PLATFORM_COUPON: "platform",
    CouponTemplate.Kind.RED_PACKET: "red_packet",
}


def coupon_refusal(exc: engine.UnusableCouponError, context: PricingContext) -> str:
    _kind, coupon_id = parse_source(exc.coupon_id)
    coupon = context.coupons.get(coupon_id)
    name = coupon.template.name if coupon else exc.coupon_id
    return _("The coupon “%(name)s” cannot be used: %(reason)s") % {"name": name, "reason": friendly_reason(exc.reason)}


def friendly_reason(reason: str) -> str:
    if "threshold" in reason:
        return _("the minimum spend is not met")
    if "exclusive" in reason:
        return _("an exclusive promotion in that store does not combine with coupons")
    if "second store coupon" in reason:
        return _("only one coupon per store can be used")
    if "second platform coupon" in reason:
        return _("only one platform coupon per order can be used")
    if "0.00" in reason:
        return _("nothing in the cart is eligible")
    if "not valid" in reason:
        return _("it is not valid now")
    return reason


def source_label(context: PricingContext, source: str) -> str:
    kind, pk = parse_source(source)
    if kind == SOURCE_CAMPAIGN:
        return context.campaigns[pk].name
    if kind == SOURCE_STORE_PROMOTION:
        return context.promotions[pk].display_name
    return context.coupons[pk].template.name


def map_result(result: engine.QuoteResult, items, context: PricingContext, at) -> PricedCart:
    by_key = {item.key: item for item in items}
    lines = []
    for line in result.lines:
        item = by_key[line.id]
        lines.append(
            PricedLine(
                key=line.id,
                sku_id=item.sku.pk,
                store_id=item.sku.store_id,
                quantity=item.quantity,
                unit_price=item.sku.price,
                subtotal=line.subtotal,
                base=line.base,
                payable=line.payable,
                discounts=[
                    LineDiscount(
                        lane=str(d.lane),
                        source_kind=parse_source(d.source)[0],
                        source_id=parse_source(d.source)[1],
                        label=source_label(context, d.source),
                        amount=d.amount,
                        platform_funded=d.platform_funded,
                        merchant_funded=d.merchant_funded,
                    )
                    for d in line.discounts
                ],
            )
        )
    stores = [
        PricedStore(store_id=int(s.id[1:]), subtotal=s.subtotal, discount=s.discount, payable=s.payable)
        for s in result.stores
    ]
    hints = [
        Hint(
            label=source_label(context, h.source),
            spend_more=h.spend_more,
            save=h.save,
            source_kind=parse_source(h.source)[0],
            source_id=parse_source(h.source)[1],
        )
        for h in result.hints
    ]
    return PricedCart(
        lines=lines,
        stores=stores,
        subtotal=result.totals.subtotal,
        discount=result.totals.discount,
        payable=result.totals.payable,
        hints=hints,
        coupons_used=[parse_source(c)[1] for c in result.coupons_used],
        at=at,
    )


def coupon_options(context: PricingContext, items, at, priced: PricedCart, excluded: set[int]) -> list[CouponOption]:
    """Every held coupon, whether it is in use, and if it cannot be used with this cart, why (priced alone)."""
    options = []
    used = set(priced.coupons_used)
    for coupon in context.coupons.values():
        template = coupon.template
        usable, reason = True, ""
        if coupon.pk not in used:
            try:
                engine.quote(build_request(context, items, at, (f"ic{coupon.pk}",), excluded))
            except engine.UnusableCouponError as exc:
                usable, reason = False, friendly_reason(exc.reason)
        options.append(
            CouponOption(
                coupon_id=coupon.pk,
                label=f"{template.name} · {template.rule_label()}",
                lane=COUPON_LANES[template.kind],
                selected=coupon.pk in used,
                usable=usable,
                reason=reason,
            )
        )
    return options
