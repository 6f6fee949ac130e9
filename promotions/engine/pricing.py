"""Prepare a cart (everything that does not depend on the coupons) and price one selection of coupons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from promotions.engine import lanes
from promotions.engine.lanes import CartLine, Grant, StoreSetup
from promotions.engine.model import (
    LANE_ORDER,
    CouponKind,
    CrossStore,
    ItemDiscount,
    PlatformCoupon,
    PromotionKind,
    QuoteRequest,
    RedPacket,
    StoreCoupon,
)


@dataclass(frozen=True)
class PreparedCart:
    request: QuoteRequest
    lines: tuple[CartLine, ...]
    setups: tuple[StoreSetup, ...]
    item_grants: tuple[Grant, ...]
    cross_plan: tuple[tuple, ...]
    promotions: tuple[PromotionKind, ...]  # in force, input order
    coupons: tuple[CouponKind, ...]  # in force, input order
    positions: dict[str, int]  # offer id -> input position: promotions first, then coupons
    store_position: tuple[int, ...]  # per line: the position of its store's setup

    def setup_of(self, store_id: str) -> StoreSetup | None:
        return next((setup for setup in self.setups if setup.store.id == store_id), None)

    def sort_grants(self, grants: Sequence[Grant]) -> list[Grant]:
        """Lane order, then input order."""
        return sorted(grants, key=lambda grant: (LANE_ORDER[grant.lane], self.positions[grant.offer.id]))


@dataclass(frozen=True)
class Selection:
    """Coupons to use: one store coupon per store at most, one platform coupon at most, red packets in input order."""

    store_coupons: dict[str, StoreCoupon] = field(default_factory=dict)
    platform_coupon: PlatformCoupon | None = None
    red_packets: tuple[RedPacket, ...] = ()


@dataclass(frozen=True)
class Priced:
    grants: tuple[Grant, ...]  # lane order, then input order
    owed: tuple[int, ...]  # per line: what is left to pay
    owed_after_lane_3: tuple[int, ...]  # what platform coupon thresholds are checked on
    platform_eligible_owed: int  # the owed sum the platform coupon's threshold was checked on (0 without one)

    def taken_by(self, offer_id: str) -> int:
        return sum(grant.total for grant in self.grants if grant.offer.id == offer_id)


def prepare(request: QuoteRequest) -> PreparedCart:
    promotions = tuple(promotion for promotion in request.promotions if promotion.in_force(request.at))
    coupons = tuple(coupon for coupon in request.coupons if coupon.in_force(request.at))
    stores = {store.id: store for store in request.stores}
    item_discounts = [promotion for promotion in promotions if isinstance(promotion, ItemDiscount)]
    campaigns = [promotion for promotion in promotions if isinstance(promotion, CrossStore)]
    cart_lines = lanes.item_lane(request.lines, stores, item_discounts)
    cross_plan = lanes.cross_store_plan(cart_lines, campaigns)
    setups = lanes.store_setups(cart_lines, request.stores, request.shopper, promotions, cross_plan)
    positions = {offer.id: position for position, offer in enumerate((*request.promotions, *request.coupons))}
    return PreparedCart(
        request=request,
        lines=tuple(cart_lines),
        setups=tuple(setups),
        item_grants=tuple(lanes.item_grants(cart_lines, item_discounts)),
        cross_plan=tuple(cross_plan),
        promotions=promotions,
        coupons=coupons,
        positions=positions,
        store_position=store_positions(setups, len(cart_lines)),
    )


def store_positions(setups: Sequence[StoreSetup], line_count: int) -> tuple[int, ...]:
    positions = [0] * line_count
    for position, setup in enumerate(setups):
        for index in setup.line_indexes:
            positions[index] = position
    return tuple(positions)


def price(cart: PreparedCart, selection: Selection) -> Priced:
    owed = [0] * len(cart.lines)
    grants = list(cart.item_grants)
    for setup in cart.setups:
        settlement = lanes.settle_store(setup, selection.store_coupons.get(setup.store.id))
        grants.extend(settlement.grants)
        for index, still_owed in zip(setup.line_indexes, settlement.owed, strict=True):
            owed[index] = still_owed
    owed_after_lane_3 = tuple(owed)
    eligible_owed = 0
    if selection.platform_coupon is not None:
        eligible_owed, grant = lanes.platform_lane(selection.platform_coupon, cart.lines, owed)
        grants.append(grant)
    grants.extend(lanes.red_packet_lane(packet, owed) for packet in selection.red_packets)
    return Priced(tuple(cart.sort_grants(merge_by_offer(grants))), tuple(owed), owed_after_lane_3, eligible_owed)


def merge_by_offer(grants: Sequence[Grant | None]) -> list[Grant]:
    """One grant per offer: a cross-store campaign is settled store by store."""
    merged: dict[str, Grant] = {}
    for grant in grants:
        if grant is None:
            continue
        if grant.offer.id in merged:
            merged[grant.offer.id].shares.update(grant.shares)
        else:
            merged[grant.offer.id] = Grant(grant.offer, grant.lane, dict(grant.shares))
    return list(merged.values())
