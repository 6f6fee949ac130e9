"""What pricing answers, in model ids: priced lines with their discounts, per-store totals, hints and the held
coupons' options. Engine ids: stores ``s<id>``, SKUs ``k<id>``, campaigns ``c<id>``, store promotions ``sp<id>``,
issued coupons ``ic<id>``; a line's id is the caller's item key. ``parse_source`` maps an engine source back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from marketplace.money import ZERO
from shops.models import SKU


@dataclass
class CartItemInput:
    key: str
    sku: SKU
    quantity: int
    source: str = ""


@dataclass(frozen=True)
class LineDiscount:
    lane: str  # item | store | cross_store | platform | red_packet
    source_kind: str  # campaign | store_promotion | coupon
    source_id: int  # Campaign / StorePromotion / IssuedCoupon id
    label: str
    amount: Decimal
    platform_funded: Decimal
    merchant_funded: Decimal


@dataclass(frozen=True)
class PricedLine:
    key: str
    sku_id: int
    store_id: int
    quantity: int
    unit_price: Decimal
    subtotal: Decimal
    base: Decimal
    payable: Decimal
    discounts: list[LineDiscount]

    @property
    def discount(self) -> Decimal:
        return self.subtotal - self.payable


@dataclass(frozen=True)
class PricedStore:
    store_id: int
    subtotal: Decimal
    discount: Decimal
    payable: Decimal


@dataclass(frozen=True)
class Hint:
    label: str
    spend_more: Decimal
    save: Decimal
    source_kind: str = ""
    source_id: int | None = None


@dataclass(frozen=True)
class CouponOption:
    coupon_id: int
    label: str
    lane: str
    selected: bool
    usable: bool
    reason: str = ""


@dataclass
class PricedCart:
    lines: list[PricedLine]
    stores: list[PricedStore]
    subtotal: Decimal
    discount: Decimal
    payable: Decimal
    hints: list[Hint] = field(default_factory=list)
    coupons_used: list[int] = field(default_factory=list)
    coupon_options: list[CouponOption] = field(default_factory=list)
    at: datetime.datetime | None = None

    def line(self, key: str) -> PricedLine:
        return next(line for line in self.lines if line.key == key)

    def store(self, store_id: int) -> PricedStore:
        return next(store for store in self.stores if store.store_id == store_id)

    def campaign_platform_funding(self) -> dict[int, Decimal]:
        """campaign id -> platform-funded amount over all lines (what the campaign's budget pays)."""
        spend: dict[int, Decimal] = {}
        for line in self.lines:
            for discount in line.discounts:
                if discount.source_kind == SOURCE_CAMPAIGN:
                    spend[discount.source_id] = spend.get(discount.source_id, ZERO) + discount.platform_funded
        return spend


SOURCE_CAMPAIGN = "campaign"
SOURCE_STORE_PROMOTION = "store_promotion"
SOURCE_COUPON = "coupon"
_PREFIXES = (("sp", SOURCE_STORE_PROMOTION), ("ic", SOURCE_COUPON), ("c", SOURCE_CAMPAIGN))


def parse_source(source: str) -> tuple[str, int]:
    for prefix, kind in _PREFIXES:
        if source.startswith(prefix) and source[len(prefix) :].isdigit():
            return kind, int(source[len(prefix) :])
    raise ValueError(f"unknown engine source {source!r}")
