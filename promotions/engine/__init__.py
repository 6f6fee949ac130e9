"""The pricing engine: pure Python (no Django, no ORM, no I/O), exact Decimal money. See ../shared/PRICING.md.

Public API (stable; cart, checkout, the operator preview and ``manage.py quote`` use it):

``quote(request: QuoteRequest) -> QuoteResult``
    Prices a cart. ``request.coupon_choice`` is ``"best"`` (the exactly optimal selection of the shopper's coupons,
    see ``promotions.engine.choice``) or a tuple of coupon ids to use as given; an id that cannot be used raises
    ``UnusableCouponError`` (a ``QuoteInputError``).
``parse_request(data: dict) -> QuoteRequest``
    Validates a JSON-shaped dict (PRICING.md "Input"); raises ``QuoteInputError`` whose ``message`` says what and
    where, e.g. ``lines[2].quantity: must be >= 1``.
``render_result(result: QuoteResult) -> dict``
    PRICING.md "Output": amounts as strings with exactly 2 places.

Input dataclasses (frozen): ``QuoteRequest(at, shopper, stores, lines, promotions, coupons, coupon_choice)`` with
``Shopper(id, first_order_stores)``, ``Store(id, brand)``,
``Line(id, store, sku, category, unit_price: Decimal, quantity: int)``; promotions ``ItemDiscount``,
``StoreThreshold`` (``Tier``), ``FirstOrderGift``, ``CrossStore``; coupons ``StoreCoupon``, ``PlatformCoupon``,
``RedPacket``. All offers have ``id``, ``valid_from``, ``valid_to`` (inclusive, aware datetimes or None); promotions
also ``exclusive`` and ``platform_share``.

Result dataclasses (frozen, Decimal amounts with 2 places): ``QuoteResult(lines, stores, applied, coupons_used,
totals, hints, best_choice_proven)`` (``best_choice_proven`` is False only when "best" stopped at its work budget
on a contrived cart, see ``promotions.engine.choice``); ``LineQuote(id, store, subtotal, base, payable, discounts)`` where each
``LineDiscount(source, lane, amount, platform_funded, merchant_funded)`` is one source's share of the line and who
funds it (what checkout stores per order line); ``StoreQuote(id, subtotal, discount, payable)``;
``AppliedDiscount(source, lane, amount, platform_funded, merchant_funded: {store id: amount})``;
``Totals(subtotal, discount, payable)``; ``Hint(source, spend_more, save)``. ``Lane`` names the five lanes.
Lines and stores keep input order; ``applied`` and each line's ``discounts`` are in lane order, then input order
(promotions before coupons); ``coupons_used`` is in input order.
"""

from promotions.engine.entry import quote
from promotions.engine.errors import QuoteInputError, UnusableCouponError
from promotions.engine.model import (
    AppliedDiscount,
    CrossStore,
    FirstOrderGift,
    Hint,
    ItemDiscount,
    Lane,
    Line,
    LineDiscount,
    LineQuote,
    PlatformCoupon,
    QuoteRequest,
    QuoteResult,
    RedPacket,
    Shopper,
    Store,
    StoreCoupon,
    StoreQuote,
    StoreThreshold,
    Tier,
    Totals,
)
from promotions.engine.parse import parse_request
from promotions.engine.render import render_result

__all__ = [
    "AppliedDiscount",
    "CrossStore",
    "FirstOrderGift",
    "Hint",
    "ItemDiscount",
    "Lane",
    "Line",
    "LineDiscount",
    "LineQuote",
    "PlatformCoupon",
    "QuoteInputError",
    "QuoteRequest",
    "QuoteResult",
    "RedPacket",
    "Shopper",
    "Store",
    "StoreCoupon",
    "StoreQuote",
    "StoreThreshold",
    "Tier",
    "Totals",
    "UnusableCouponError",
    "parse_request",
    "quote",
    "render_result",
]
