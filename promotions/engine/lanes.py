"""The five lanes of PRICING.md, on int cents.

Lane 1 and the coupon-independent parts of lanes 2-3 are computed once per quote (``item_lane``, ``store_setups``);
``run_store`` then runs lanes 2-3 of one store for one store-coupon candidate (the best-choice search does so for
every candidate) and ``settle_store`` turns that into grants; lanes 4-5 work on the whole cart's owed amounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from promotions.engine.allocation import allocate, allocate_capped
from promotions.engine.cents import round_half_up, to_cents
from promotions.engine.model import (
    CrossStore,
    FirstOrderGift,
    ItemDiscount,
    Lane,
    Line,
    Offer,
    PlatformCoupon,
    Promotion,
    RedPacket,
    Shopper,
    Store,
    StoreCoupon,
    StoreThreshold,
)


@dataclass(frozen=True)
class CartLine:
    index: int
    line: Line
    store: Store
    subtotal: int
    base: int
    item_discount: ItemDiscount | None


@dataclass(frozen=True)
class Grant:
    """What one promotion or coupon took, per line index (positive shares only)."""

    offer: Offer
    lane: Lane
    shares: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.shares.values())


def make_grant(offer: Offer, lane: Lane, line_indexes: Sequence[int], shares: Sequence[int]) -> Grant | None:
    positive = {index: share for index, share in zip(line_indexes, shares, strict=True) if share > 0}
    return Grant(offer, lane, positive) if positive else None


def steps_amount(base_sum: int, every, off, cap) -> int:
    """``floor(base_sum / every) x off``, capped: every-X-off-Y of store thresholds and cross-store campaigns."""
    amount = base_sum // to_cents(every) * to_cents(off)
    return amount if cap is None else min(amount, to_cents(cap))


# ---------------------------------------------------------------------------------------------------------------
# Lane 1: item


def discounted_unit_price(unit_price: int, discount: ItemDiscount) -> int:
    if discount.amount_off is not None:
        price = unit_price - to_cents(discount.amount_off)
    elif discount.percent_off is not None:
        numerator, denominator = discount.percent_off.as_integer_ratio()
        price = round_half_up(unit_price * (100 * denominator - numerator), 100 * denominator)
    else:
        price = to_cents(discount.fixed_price)
    return max(price, 0)


def best_item_discount(unit_price: int, sku: str, discounts: Sequence[ItemDiscount]) -> tuple[int, ItemDiscount | None]:
    """The discount lowering the unit price the most (first listed on a tie); never raises the price."""
    best_price, best = unit_price, None
    for discount in discounts:
        if sku in discount.skus:
            price = discounted_unit_price(unit_price, discount)
            if price < best_price:
                best_price, best = price, discount
    return best_price, best


def item_lane(lines: Sequence[Line], stores: dict[str, Store], discounts: Sequence[ItemDiscount]) -> list[CartLine]:
    cart_lines = []
    for index, line in enumerate(lines):
        unit_price = to_cents(line.unit_price)
        unit_base, discount = best_item_discount(unit_price, line.sku, discounts)
        cart_lines.append(
            CartLine(index, line, stores[line.store], unit_price * line.quantity, unit_base * line.quantity, discount)
        )
    return cart_lines


def item_grants(cart_lines: Sequence[CartLine], discounts: Sequence[ItemDiscount]) -> list[Grant]:
    grants = []
    for discount in discounts:
        shares = {cl.index: cl.subtotal - cl.base for cl in cart_lines if cl.item_discount is discount}
        shares = {index: share for index, share in shares.items() if share > 0}
        if shares:
            grants.append(Grant(discount, Lane.ITEM, shares))
    return grants


# ---------------------------------------------------------------------------------------------------------------
# Lanes 2 and 3, per store


@dataclass(frozen=True)
class StoreSetup:
    """One store's lanes 2-3 as far as they do not depend on which store coupon is used."""

    store: Store
    line_indexes: tuple[int, ...]
    bases: tuple[int, ...]
    base_sum: int
    promotion: StoreThreshold | None
    promotion_shares: tuple[int, ...]  # cut to base: the promotion applies first
    gift: FirstOrderGift | None
    gift_shares: tuple[int, ...]  # by base, before the cut to what each line owes by then
    exclusive: Promotion | None  # an applying exclusive promotion: no store coupon here
    cross: tuple[tuple[CrossStore | None, int], ...]  # per line: its cross-store promotion and share by base
    campaigns: tuple[CrossStore, ...]  # the cross-store promotions its lines take part in

    def coupon_applies(self, coupon: StoreCoupon) -> bool:
        return self.exclusive is None and to_cents(coupon.threshold) <= self.base_sum


@dataclass(frozen=True)
class StoreSettlement:
    grants: tuple[Grant, ...]
    owed: tuple[int, ...]  # per line of the store, after lane 3


def store_threshold_amount(promotion: StoreThreshold, base_sum: int) -> int:
    if promotion.tiers:
        met = [tier for tier in promotion.tiers if to_cents(tier.threshold) <= base_sum]
        if not met:
            return 0
        highest = max(to_cents(tier.threshold) for tier in met)
        return next(to_cents(tier.off) for tier in met if to_cents(tier.threshold) == highest)
    return steps_amount(base_sum, promotion.every, promotion.off, promotion.cap)


def best_store_promotion(promotions: Sequence[StoreThreshold], base_sum: int) -> tuple[StoreThreshold | None, int]:
    best, best_amount = None, 0
    for promotion in promotions:
        amount = store_threshold_amount(promotion, base_sum)
        if amount > best_amount:
            best, best_amount = promotion, amount
    return best, best_amount


def best_gift(gifts: Sequence[FirstOrderGift], base_sum: int) -> FirstOrderGift | None:
    met = [gift for gift in gifts if to_cents(gift.threshold) <= base_sum and gift.off > 0]
    return max(met, key=lambda gift: gift.off, default=None)  # max() keeps the first listed on a tie


def cross_store_plan(cart_lines: Sequence[CartLine], campaigns: Sequence[CrossStore]) -> list[tuple]:
    """Per line: (the first listed campaign covering it, its share of that campaign by base) or (None, 0)."""
    plan: list[tuple] = [(None, 0)] * len(cart_lines)
    taken: set[int] = set()
    for campaign in campaigns:
        members = [cl for cl in cart_lines if cl.index not in taken and covers(campaign, cl)]
        taken.update(cl.index for cl in members)
        bases = [cl.base for cl in members]
        amount = steps_amount(sum(bases), campaign.every, campaign.off, campaign.cap)
        for cl, share in zip(members, allocate(amount, bases), strict=True):
            plan[cl.index] = (campaign, share)
    return plan


def covers(campaign: CrossStore, cart_line: CartLine) -> bool:
    return (campaign.stores is None or cart_line.store.id in campaign.stores) and (
        campaign.brands is None or cart_line.store.brand in campaign.brands
    )


def campaign_members(cart_lines: Sequence[CartLine], plan: Sequence[tuple], campaign: CrossStore) -> list[CartLine]:
    return [cl for cl in cart_lines if plan[cl.index][0] is campaign]


def store_setups(
    cart_lines: Sequence[CartLine],
    stores: Sequence[Store],
    shopper: Shopper,
    promotions: Sequence[Promotion],
    cross_plan: Sequence[tuple],
) -> list[StoreSetup]:
    setups = []
    for store in stores:
        own = [cl for cl in cart_lines if cl.store is store]
        bases = tuple(cl.base for cl in own)
        base_sum = sum(bases)
        thresholds = [p for p in promotions if isinstance(p, StoreThreshold) and p.store == store.id]
        promotion, amount = best_store_promotion(thresholds, base_sum)
        gift = None
        if store.id in shopper.first_order_stores:
            gift = best_gift([p for p in promotions if isinstance(p, FirstOrderGift) and p.store == store.id], base_sum)
        promotion, amount, gift, exclusive = resolve_exclusive(promotion, amount, gift)
        setups.append(
            StoreSetup(
                store=store,
                line_indexes=tuple(cl.index for cl in own),
                bases=bases,
                base_sum=base_sum,
                promotion=promotion,
                promotion_shares=tuple(allocate_capped(amount, bases, bases)),
                gift=gift,
                gift_shares=tuple(allocate(to_cents(gift.off), bases)) if gift else (),
                exclusive=exclusive,
                cross=tuple(cross_plan[cl.index] for cl in own),
                campaigns=distinct_campaigns(cross_plan[cl.index][0] for cl in own),
            )
        )
    return setups


def distinct_campaigns(campaigns) -> tuple[CrossStore, ...]:
    """The cross-store promotions among ``campaigns`` (None for no campaign), once each, in order."""
    return tuple({id(campaign): campaign for campaign in campaigns if campaign is not None}.values())


def resolve_exclusive(promotion, amount, gift):
    """An applying exclusive store-lane promotion is the only store-lane discount of its store.

    The store-threshold promotion is looked at first (it applies first), then the first-order gift.
    """
    if promotion is not None and promotion.exclusive:
        return promotion, amount, None, promotion
    if gift is not None and gift.exclusive:
        return None, 0, gift, gift
    return promotion, amount, gift, None


@dataclass
class StoreRun:
    """Lanes 2-3 of one store for one coupon: what each line owes after them, and the cut shares of each step."""

    owed: list[int]
    coupon_shares: list[int]
    gift_shares: list[int]
    cross_cuts: list[int]


def run_store(setup: StoreSetup, coupon: StoreCoupon | None) -> StoreRun:
    owed = [base - share for base, share in zip(setup.bases, setup.promotion_shares, strict=True)]
    coupon_shares = gift_shares = []
    if coupon is not None:
        coupon_shares = allocate_capped(to_cents(coupon.off), setup.bases, owed)
        owed = [still_owed - share for still_owed, share in zip(owed, coupon_shares, strict=True)]
    if setup.gift is not None:
        gift_shares = [min(share, still_owed) for share, still_owed in zip(setup.gift_shares, owed, strict=True)]
        owed = [still_owed - share for still_owed, share in zip(owed, gift_shares, strict=True)]
    cross_cuts = [min(share, still_owed) for (_, share), still_owed in zip(setup.cross, owed, strict=True)]
    owed = [still_owed - cut for still_owed, cut in zip(owed, cross_cuts, strict=True)]
    return StoreRun(owed, coupon_shares, gift_shares, cross_cuts)


def settle_store(setup: StoreSetup, coupon: StoreCoupon | None) -> StoreSettlement:
    """Lanes 2 and 3 on one store's lines, with ``coupon`` as its store coupon (or none)."""
    run = run_store(setup, coupon)
    steps = [(setup.promotion, Lane.STORE, setup.promotion_shares), (coupon, Lane.STORE, run.coupon_shares)]
    steps.append((setup.gift, Lane.STORE, run.gift_shares))
    for campaign in setup.campaigns:
        cuts = [cut if own is campaign else 0 for (own, _), cut in zip(setup.cross, run.cross_cuts, strict=True)]
        steps.append((campaign, Lane.CROSS_STORE, cuts))
    grants = (make_grant(offer, lane, setup.line_indexes, shares) for offer, lane, shares in steps if offer)
    return StoreSettlement(tuple(grant for grant in grants if grant is not None), tuple(run.owed))


# ---------------------------------------------------------------------------------------------------------------
# Lanes 4 and 5, on the whole cart


def platform_eligible(coupon: PlatformCoupon, cart_line: CartLine) -> bool:
    return (
        (coupon.brands is None or cart_line.store.brand in coupon.brands)
        and (coupon.categories is None or cart_line.line.category in coupon.categories)
        and (coupon.stores is None or cart_line.store.id in coupon.stores)
    )


def platform_lane(coupon: PlatformCoupon, cart_lines: Sequence[CartLine], owed: list[int]) -> tuple[int, Grant | None]:
    """Apply ``coupon`` to ``owed`` in place; returns the eligible owed sum and what it took (None if nothing)."""
    eligible = [cl.index for cl in cart_lines if platform_eligible(coupon, cl)]
    weights = [owed[index] for index in eligible]
    eligible_owed = sum(weights)
    if eligible_owed < to_cents(coupon.threshold):
        return eligible_owed, None
    shares = allocate(min(to_cents(coupon.off), eligible_owed), weights)
    for index, share in zip(eligible, shares, strict=True):
        owed[index] -= share
    return eligible_owed, make_grant(coupon, Lane.PLATFORM, eligible, shares)


def red_packet_lane(packet: RedPacket, owed: list[int]) -> Grant | None:
    """Apply one red packet to ``owed`` in place: ``min(off, total owed)`` in proportion to owed."""
    shares = allocate(min(to_cents(packet.off), sum(owed)), owed)
    for index, share in enumerate(shares):
        owed[index] -= share
    return make_grant(packet, Lane.RED_PACKET, range(len(owed)), shares)
