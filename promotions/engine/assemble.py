"""Turn priced grants into the QuoteResult: per-line discounts with funding, per-store and total amounts."""

from decimal import Decimal

from promotions.engine.allocation import allocate
from promotions.engine.cents import scale_half_up, to_money
from promotions.engine.lanes import Grant
from promotions.engine.model import (
    AppliedDiscount,
    Hint,
    LineDiscount,
    LineQuote,
    Offer,
    Promotion,
    QuoteResult,
    StoreCoupon,
    StoreQuote,
    Totals,
)
from promotions.engine.pricing import PreparedCart, Priced


def platform_share(offer: Offer) -> Decimal:
    """Promotions carry their own share (default 0); store coupons are the merchant's, other coupons the platform's."""
    if isinstance(offer, Promotion):
        return offer.platform_share
    return Decimal(0) if isinstance(offer, StoreCoupon) else Decimal(1)


def assemble(cart: PreparedCart, priced: Priced, hints: tuple[Hint, ...], proven: bool = True) -> QuoteResult:
    line_discounts: list[list[LineDiscount]] = [[] for _ in cart.lines]
    applied = tuple(fund(cart, grant, line_discounts) for grant in priced.grants)
    lines = tuple(
        LineQuote(
            id=cart_line.line.id,
            store=cart_line.store.id,
            subtotal=to_money(cart_line.subtotal),
            base=to_money(cart_line.base),
            payable=to_money(priced.owed[cart_line.index]),
            discounts=tuple(line_discounts[cart_line.index]),
        )
        for cart_line in cart.lines
    )
    stores = []
    for setup in cart.setups:
        subtotal = sum(cart.lines[index].subtotal for index in setup.line_indexes)
        payable = sum(priced.owed[index] for index in setup.line_indexes)
        stores.append(StoreQuote(setup.store.id, to_money(subtotal), to_money(subtotal - payable), to_money(payable)))
    subtotal = sum(cart_line.subtotal for cart_line in cart.lines)
    payable = sum(priced.owed)
    used = {grant.offer.id for grant in priced.grants}
    return QuoteResult(
        lines=lines,
        stores=tuple(stores),
        applied=applied,
        coupons_used=tuple(coupon.id for coupon in cart.request.coupons if coupon.id in used),
        totals=Totals(to_money(subtotal), to_money(subtotal - payable), to_money(payable)),
        hints=hints,
        best_choice_proven=proven,
    )


def fund(cart: PreparedCart, grant: Grant, line_discounts: list[list[LineDiscount]]) -> AppliedDiscount:
    """Split a grant into platform and merchant parts per store share, then down to its lines.

    The platform part of a store's share is ``round_half_up(share x platform_share)``; it is spread over that
    store's lines by the same largest-remainder allocation, so line parts add up to store parts exactly.
    """
    share_of_platform = platform_share(grant.offer)
    by_store: dict[int, list[int]] = {}
    for index in sorted(grant.shares):
        by_store.setdefault(cart.store_position[index], []).append(index)
    platform_total = 0
    merchant_funded = {}
    for position in sorted(by_store):
        indexes = by_store[position]
        shares = [grant.shares[index] for index in indexes]
        store_amount = sum(shares)
        platform = scale_half_up(store_amount, share_of_platform)
        line_platforms = shares if platform == store_amount else allocate(platform, shares)
        for index, share, line_platform in zip(indexes, shares, line_platforms, strict=True):
            line_discounts[index].append(
                LineDiscount(
                    grant.offer.id,
                    grant.lane,
                    to_money(share),
                    to_money(line_platform),
                    to_money(share - line_platform),
                )
            )
        platform_total += platform
        merchant_funded[cart.setups[position].store.id] = to_money(store_amount - platform)
    return AppliedDiscount(grant.offer.id, grant.lane, to_money(grant.total), to_money(platform_total), merchant_funded)
