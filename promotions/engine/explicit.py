"""``coupon_choice`` given as a list of ids: use exactly those coupons, or say why one cannot be used."""

from collections.abc import Sequence

from promotions.engine.cents import to_cents, to_money
from promotions.engine.errors import UnusableCouponError
from promotions.engine.model import PlatformCoupon, RedPacket, StoreCoupon
from promotions.engine.pricing import PreparedCart, Priced, Selection


def explicit_selection(cart: PreparedCart, chosen: Sequence[str]) -> Selection:
    """The selection the ids ask for; raises UnusableCouponError for what can be told before pricing."""
    known = {coupon.id: coupon for coupon in cart.request.coupons}
    in_force = {coupon.id for coupon in cart.coupons}
    store_coupons: dict[str, StoreCoupon] = {}
    platform_coupon = None
    red_packet_ids = set()
    for position, coupon_id in enumerate(chosen):
        coupon = known.get(coupon_id)
        if coupon is None:
            raise UnusableCouponError(position, coupon_id, "is unknown")
        if coupon_id in chosen[:position]:
            raise UnusableCouponError(position, coupon_id, "is chosen twice")
        if coupon_id not in in_force:
            raise UnusableCouponError(position, coupon_id, f"is not valid at {cart.request.at.isoformat()}")
        if isinstance(coupon, StoreCoupon):
            check_store_coupon(cart, store_coupons, position, coupon)
            store_coupons[coupon.store] = coupon
        elif isinstance(coupon, PlatformCoupon):
            if platform_coupon is not None:
                raise UnusableCouponError(
                    position, coupon_id, f'is a second platform coupon (after "{platform_coupon.id}")'
                )
            platform_coupon = coupon
        else:
            red_packet_ids.add(coupon_id)
    red_packets = tuple(c for c in cart.request.coupons if isinstance(c, RedPacket) and c.id in red_packet_ids)
    return Selection(store_coupons, platform_coupon, red_packets)


def check_store_coupon(cart: PreparedCart, chosen: dict[str, StoreCoupon], position: int, coupon: StoreCoupon) -> None:
    store = coupon.store
    if store in chosen:
        raise UnusableCouponError(position, coupon.id, f'is a second store coupon for store "{store}"')
    setup = cart.setup_of(store)
    base_sum = setup.base_sum if setup else 0
    if setup is not None and setup.exclusive is not None:
        reason = f'cannot be used: promotion "{setup.exclusive.id}" is exclusive in store "{store}"'
        raise UnusableCouponError(position, coupon.id, reason)
    if to_cents(coupon.threshold) > base_sum:
        reason = f'threshold {money(coupon.threshold)} is not met: store "{store}" base is {to_money(base_sum)}'
        raise UnusableCouponError(position, coupon.id, reason)


def check_all_used(cart: PreparedCart, chosen: Sequence[str], selection: Selection, priced: Priced) -> None:
    """After pricing: the platform coupon's threshold is met and every chosen coupon took something."""
    for position, coupon_id in enumerate(chosen):
        platform = selection.platform_coupon
        is_platform = platform is not None and coupon_id == platform.id
        if is_platform and priced.platform_eligible_owed < to_cents(platform.threshold):
            owed = to_money(priced.platform_eligible_owed)
            reason = f"threshold {money(platform.threshold)} is not met: its eligible lines owe {owed}"
            raise UnusableCouponError(position, coupon_id, reason)
        if priced.taken_by(coupon_id) == 0:
            raise UnusableCouponError(position, coupon_id, "would take 0.00")


def money(amount) -> str:
    return str(to_money(to_cents(amount)))
