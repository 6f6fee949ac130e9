"""凑单 hints: how much more base amount of eligible goods would unlock a threshold, and what it would then save."""

from promotions.engine.cents import to_cents, to_money
from promotions.engine.lanes import campaign_members, platform_eligible, steps_amount, store_threshold_amount
from promotions.engine.model import CrossStore, Hint, PlatformCoupon, StoreCoupon, StoreThreshold
from promotions.engine.pricing import PreparedCart, Priced


def hints(cart: PreparedCart, priced: Priced) -> tuple[Hint, ...]:
    """Store-threshold and cross-store promotions in force, then held coupons in force, in input order.

    Only thresholds the cart has eligible goods for are hinted; ``save`` is what the promotion or coupon would give
    on top of what it gives now.
    """
    found = []
    for promotion in cart.promotions:
        if isinstance(promotion, StoreThreshold):
            found.append(store_threshold_hint(cart, promotion))
        elif isinstance(promotion, CrossStore):
            found.append(cross_store_hint(cart, promotion))
    for coupon in cart.coupons:
        if isinstance(coupon, StoreCoupon):
            found.append(store_coupon_hint(cart, coupon))
        elif isinstance(coupon, PlatformCoupon):
            found.append(platform_coupon_hint(cart, priced, coupon))
    return tuple(hint for hint in found if hint is not None)


def make_hint(source: str, spend_more: int, save: int) -> Hint | None:
    return Hint(source, to_money(spend_more), to_money(save)) if save > 0 else None


def next_step(source: str, base_sum: int, every, off, cap) -> Hint | None:
    target = (base_sum // to_cents(every) + 1) * to_cents(every)
    gain = steps_amount(target, every, off, cap) - steps_amount(base_sum, every, off, cap)
    return make_hint(source, target - base_sum, gain)


def store_threshold_hint(cart: PreparedCart, promotion: StoreThreshold) -> Hint | None:
    setup = cart.setup_of(promotion.store)
    if setup is None or not setup.line_indexes:
        return None
    base_sum = setup.base_sum
    if not promotion.tiers:
        return next_step(promotion.id, base_sum, promotion.every, promotion.off, promotion.cap)
    current = store_threshold_amount(promotion, base_sum)
    better = [tier for tier in promotion.tiers if to_cents(tier.threshold) > base_sum and to_cents(tier.off) > current]
    if not better:
        return None
    nearest = min(better, key=lambda tier: tier.threshold)
    return make_hint(promotion.id, to_cents(nearest.threshold) - base_sum, to_cents(nearest.off) - current)


def cross_store_hint(cart: PreparedCart, campaign: CrossStore) -> Hint | None:
    members = campaign_members(cart.lines, cart.cross_plan, campaign)
    if not members:
        return None
    base_sum = sum(cart_line.base for cart_line in members)
    return next_step(campaign.id, base_sum, campaign.every, campaign.off, campaign.cap)


def store_coupon_hint(cart: PreparedCart, coupon: StoreCoupon) -> Hint | None:
    setup = cart.setup_of(coupon.store)
    if setup is None or not setup.line_indexes or setup.exclusive is not None:
        return None
    missing = to_cents(coupon.threshold) - setup.base_sum
    return make_hint(coupon.id, missing, to_cents(coupon.off)) if missing > 0 else None


def platform_coupon_hint(cart: PreparedCart, priced: Priced, coupon: PlatformCoupon) -> Hint | None:
    eligible = [cart_line.index for cart_line in cart.lines if platform_eligible(coupon, cart_line)]
    if not eligible:
        return None
    missing = to_cents(coupon.threshold) - sum(priced.owed_after_lane_3[index] for index in eligible)
    return make_hint(coupon.id, missing, to_cents(coupon.off)) if missing > 0 else None
