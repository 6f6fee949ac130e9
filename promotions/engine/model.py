"""Plain dataclasses the engine takes (QuoteRequest) and returns (QuoteResult).

Money is ``Decimal`` with at most 2 places in, exactly 2 places out. Ids are strings. Nothing here touches Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar, Literal

ZERO = Decimal("0.00")


class Lane(StrEnum):
    """The five lanes, in the order they apply."""

    ITEM = "item"
    STORE = "store"
    CROSS_STORE = "cross_store"
    PLATFORM = "platform"
    RED_PACKET = "red_packet"


LANE_ORDER = {lane: position for position, lane in enumerate(Lane)}


# ---------------------------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class Shopper:
    id: str
    first_order_stores: frozenset[str] = frozenset()  # stores where the shopper has never placed an order


@dataclass(frozen=True)
class Store:
    id: str
    brand: str  # "TAOBAO" | "TMALL"


@dataclass(frozen=True)
class Line:
    id: str
    store: str
    sku: str
    category: str
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True, kw_only=True)
class Offer:
    """What promotions and coupons share: an id and an optional validity window (both ends inclusive)."""

    KIND: ClassVar[str] = ""
    id: str
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    def in_force(self, at: datetime) -> bool:
        if self.valid_from is not None and at < self.valid_from:
            return False
        return self.valid_to is None or at <= self.valid_to


@dataclass(frozen=True, kw_only=True)
class Promotion(Offer):
    """Applied automatically when in force. ``platform_share`` (0..1) is the platform-funded share."""

    exclusive: bool = False
    platform_share: Decimal = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class ItemDiscount(Promotion):
    """Lane 1. Exactly one of amount_off (per unit), percent_off (0..100), fixed_price (per unit) is set."""

    KIND: ClassVar[str] = "item_discount"
    skus: tuple[str, ...]
    amount_off: Decimal | None = None
    percent_off: Decimal | None = None
    fixed_price: Decimal | None = None


@dataclass(frozen=True)
class Tier:
    threshold: Decimal
    off: Decimal


@dataclass(frozen=True, kw_only=True)
class StoreThreshold(Promotion):
    """Lane 2. Either ``tiers`` (the highest tier met applies) or ``every``/``off`` with an optional ``cap``."""

    KIND: ClassVar[str] = "store_threshold"
    store: str
    tiers: tuple[Tier, ...] = ()
    every: Decimal | None = None
    off: Decimal | None = None
    cap: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class FirstOrderGift(Promotion):
    """Lane 2, for a shopper new to ``store``."""

    KIND: ClassVar[str] = "first_order_gift"
    store: str
    off: Decimal
    threshold: Decimal = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class CrossStore(Promotion):
    """Lane 3: ``every``/``off`` (optional ``cap``) over the lines of the stores and brands it covers (None: all)."""

    KIND: ClassVar[str] = "cross_store"
    every: Decimal
    off: Decimal
    cap: Decimal | None = None
    stores: tuple[str, ...] | None = None
    brands: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class StoreCoupon(Offer):
    """Lane 2, merchant-funded."""

    KIND: ClassVar[str] = "store_coupon"
    store: str
    threshold: Decimal
    off: Decimal


@dataclass(frozen=True, kw_only=True)
class PlatformCoupon(Offer):
    """Lane 4, platform-funded; eligible lines match every restriction given (None: no restriction)."""

    KIND: ClassVar[str] = "platform_coupon"
    threshold: Decimal
    off: Decimal
    brands: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    stores: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class RedPacket(Offer):
    """Lane 5, platform-funded, no threshold."""

    KIND: ClassVar[str] = "red_packet"
    off: Decimal


PromotionKind = ItemDiscount | StoreThreshold | FirstOrderGift | CrossStore
CouponKind = StoreCoupon | PlatformCoupon | RedPacket


@dataclass(frozen=True)
class QuoteRequest:
    """One scenario. ``coupon_choice`` is "best" or the ids of the coupons to use exactly as given."""

    at: datetime  # timezone-aware
    shopper: Shopper
    stores: tuple[Store, ...]
    lines: tuple[Line, ...]
    promotions: tuple[PromotionKind, ...] = ()
    coupons: tuple[CouponKind, ...] = ()
    coupon_choice: Literal["best"] | tuple[str, ...] = "best"


# ---------------------------------------------------------------------------------------------------------------
# Output (slots: a big cart's result has over a thousand line discounts, and slots make building them cheaper)


@dataclass(frozen=True, slots=True)
class LineDiscount:
    """One source's share of one line, with who funds that share (platform + merchant == amount)."""

    source: str
    lane: Lane
    amount: Decimal
    platform_funded: Decimal
    merchant_funded: Decimal


@dataclass(frozen=True, slots=True)
class LineQuote:
    id: str
    store: str
    subtotal: Decimal
    base: Decimal
    payable: Decimal
    discounts: tuple[LineDiscount, ...]


@dataclass(frozen=True, slots=True)
class StoreQuote:
    id: str
    subtotal: Decimal
    discount: Decimal
    payable: Decimal


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    """A promotion or coupon that took a positive amount; ``merchant_funded`` maps store id -> that store's part."""

    source: str
    lane: Lane
    amount: Decimal
    platform_funded: Decimal
    merchant_funded: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hint:
    """Spend ``spend_more`` more (base amount of eligible goods) and ``source`` saves ``save`` more."""

    source: str
    spend_more: Decimal
    save: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    payable: Decimal


@dataclass(frozen=True, slots=True)
class QuoteResult:
    lines: tuple[LineQuote, ...]
    stores: tuple[StoreQuote, ...]
    applied: tuple[AppliedDiscount, ...]
    coupons_used: tuple[str, ...]
    totals: Totals
    hints: tuple[Hint, ...]
    # False only when "best" stopped at the search's state budget (contrived carts): the selection is then the best
    # found, not a proven optimum. Not part of the JSON output.
    best_choice_proven: bool = True
