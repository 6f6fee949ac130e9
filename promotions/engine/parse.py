"""A JSON-shaped dict (PRICING.md "Input") -> QuoteRequest, or QuoteInputError saying what is wrong and where.

Fields PRICING.md does not mark optional are required; unknown fields are errors. Money amounts are strings with at
most 2 decimal places (at most 12 digits before the point); ``percent_off`` and ``platform_share`` may be JSON
numbers or decimal strings (at most 6 places). Times are ISO 8601 with a UTC offset; windows include both ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from promotions.engine.errors import QuoteInputError
from promotions.engine.model import (
    CrossStore,
    FirstOrderGift,
    ItemDiscount,
    Line,
    PlatformCoupon,
    QuoteRequest,
    RedPacket,
    Shopper,
    Store,
    StoreCoupon,
    StoreThreshold,
    Tier,
)

BRANDS = ("TAOBAO", "TMALL")
MAX_QUANTITY = 1_000_000
MAX_MONEY_DIGITS = 12
MAX_RATIO_PLACES = 6
DECIMAL_TEXT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?", re.ASCII)
_MISSING = object()

Parser = Callable[[Any, str], Any]


class Fields:
    """Reads the fields of one JSON object, remembering which were read so unknown ones can be refused."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise QuoteInputError(f"{where or 'input'}: must be an object")
        self.data = data
        self.where = where
        self.read: set[str] = set()

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, parse: Parser, default: Any = _MISSING) -> Any:
        self.read.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise QuoteInputError(f"{self.path(key)}: missing field")
            return default
        return parse(self.data[key], self.path(key))

    def finish(self) -> None:
        unknown = sorted(str(key) for key in self.data if key not in self.read)
        if unknown:
            raise QuoteInputError(f"{self.path(unknown[0])}: unknown field")


# ---------------------------------------------------------------------------------------------------------------
# Values


def text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise QuoteInputError(f"{where}: must be a non-empty string")
    return value


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise QuoteInputError(f"{where}: must be true or false")
    return value


def money(value: Any, where: str) -> Decimal:
    if not isinstance(value, str):
        raise QuoteInputError(f'{where}: must be a string amount like "12.34"')
    match = DECIMAL_TEXT.fullmatch(value)
    if match is None:
        raise QuoteInputError(f'{where}: must be a string amount like "12.34", got "{value}"')
    sign, whole, places = match.groups()
    if sign:
        raise QuoteInputError(f"{where}: must not be negative")
    if places and len(places) > 2:
        raise QuoteInputError(f"{where}: must have at most 2 decimal places")
    if len(whole.lstrip("0")) > MAX_MONEY_DIGITS:
        raise QuoteInputError(f"{where}: is too large (at most {MAX_MONEY_DIGITS} digits before the point)")
    return Decimal(value)


def positive_money(value: Any, where: str) -> Decimal:
    amount = money(value, where)
    if amount == 0:
        raise QuoteInputError(f"{where}: must be greater than 0")
    return amount


def quantity(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise QuoteInputError(f"{where}: must be an integer")
    if value < 1:
        raise QuoteInputError(f"{where}: must be >= 1")
    if value > MAX_QUANTITY:
        raise QuoteInputError(f"{where}: must be <= {MAX_QUANTITY}")
    return value


def ratio_between(low: int, high: int) -> Parser:
    def parse(value: Any, where: str) -> Decimal:
        number = exact_number(value, where)
        if not low <= number <= high:
            raise QuoteInputError(f"{where}: must be between {low} and {high}")
        return number

    return parse


def exact_number(value: Any, where: str) -> Decimal:
    """A JSON number or a decimal string, kept exact."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise QuoteInputError(f"{where}: must be a number")
    if isinstance(value, str) and DECIMAL_TEXT.fullmatch(value) is None:
        raise QuoteInputError(f'{where}: must be a number, got "{value}"')
    try:
        number = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise QuoteInputError(f"{where}: must be a number") from None
    if not number.is_finite():
        raise QuoteInputError(f"{where}: must be a finite number")
    if -number.as_tuple().exponent > MAX_RATIO_PLACES:
        raise QuoteInputError(f"{where}: must have at most {MAX_RATIO_PLACES} decimal places")
    return number


def timestamp(value: Any, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise QuoteInputError(
            f'{where}: must be an ISO 8601 date-time with a UTC offset, like "2026-11-11T00:10:00+08:00"'
        )
    return moment


def listed(parse: Parser, allow_empty: bool = True) -> Parser:
    def parse_list(value: Any, where: str) -> tuple:
        if not isinstance(value, list):
            raise QuoteInputError(f"{where}: must be a list")
        if not value and not allow_empty:
            raise QuoteInputError(f"{where}: must not be empty")
        return tuple(parse(item, f"{where}[{position}]") for position, item in enumerate(value))

    return parse_list


def brand(value: Any, where: str) -> str:
    if value not in BRANDS:
        raise QuoteInputError(f"{where}: must be one of {', '.join(BRANDS)}")
    return value


texts = listed(text)
brands = listed(brand)


# ---------------------------------------------------------------------------------------------------------------
# Objects


def parse_request(data: Any) -> QuoteRequest:
    """Validate a scenario (already decoded from JSON, floats ideally as Decimal) and build the QuoteRequest."""
    fields = Fields(data, "")
    request = QuoteRequest(
        at=fields.get("at", timestamp, None) or datetime.now(UTC),
        shopper=fields.get("shopper", shopper),
        stores=fields.get("stores", listed(store)),
        lines=fields.get("lines", listed(line)),
        promotions=fields.get("promotions", listed(promotion)),
        coupons=fields.get("coupons", listed(coupon)),
        coupon_choice=fields.get("coupon_choice", coupon_choice, "best"),
    )
    fields.finish()
    unique_ids(request.stores, "stores")
    unique_ids(request.lines, "lines")
    unique_offer_ids(request)
    store_ids = {store.id for store in request.stores}
    for position, cart_line in enumerate(request.lines):
        if cart_line.store not in store_ids:
            raise QuoteInputError(f'lines[{position}].store: unknown store "{cart_line.store}"')
    return request


def unique_ids(items: tuple, where: str) -> None:
    seen = set()
    for position, item in enumerate(items):
        if item.id in seen:
            raise QuoteInputError(f'{where}[{position}].id: duplicate id "{item.id}"')
        seen.add(item.id)


def unique_offer_ids(request: QuoteRequest) -> None:
    """Promotions and coupons are both ``source`` of discounts, so their ids must not collide with each other."""
    seen = set()
    offers = [("promotions", request.promotions), ("coupons", request.coupons)]
    for where, items in offers:
        for position, item in enumerate(items):
            if item.id in seen:
                raise QuoteInputError(f'{where}[{position}].id: duplicate id "{item.id}"')
            seen.add(item.id)


def shopper(value: Any, where: str) -> Shopper:
    fields = Fields(value, where)
    result = Shopper(fields.get("id", text), frozenset(fields.get("first_order_stores", texts)))
    fields.finish()
    return result


def store(value: Any, where: str) -> Store:
    fields = Fields(value, where)
    result = Store(fields.get("id", text), fields.get("brand", brand))
    fields.finish()
    return result


def line(value: Any, where: str) -> Line:
    fields = Fields(value, where)
    result = Line(
        id=fields.get("id", text),
        store=fields.get("store", text),
        sku=fields.get("sku", text),
        category=fields.get("category", text),
        unit_price=fields.get("unit_price", money),
        quantity=fields.get("quantity", quantity),
    )
    fields.finish()
    return result


def coupon_choice(value: Any, where: str):
    if value == "best":
        return "best"
    if not isinstance(value, list):
        raise QuoteInputError(f'{where}: must be "best" or a list of coupon ids')
    return texts(value, where)


def offer_fields(fields: Fields) -> dict:
    common = {"id": fields.get("id", text)}
    common["valid_from"] = fields.get("valid_from", timestamp, None)
    common["valid_to"] = fields.get("valid_to", timestamp, None)
    if common["valid_from"] and common["valid_to"] and common["valid_to"] < common["valid_from"]:
        raise QuoteInputError(f"{fields.path('valid_to')}: must not be before valid_from")
    return common


def promotion(value: Any, where: str):
    fields = Fields(value, where)
    kind = fields.get("kind", text)
    build = PROMOTION_KINDS.get(kind)
    if build is None:
        expected = ", ".join(PROMOTION_KINDS)
        raise QuoteInputError(f'{fields.path("kind")}: unknown promotion kind "{kind}" (expected one of {expected})')
    common = offer_fields(fields)
    common["exclusive"] = fields.get("exclusive", flag, False)
    common["platform_share"] = fields.get("platform_share", ratio_between(0, 1), Decimal(0))
    result = build(fields, common)
    fields.finish()
    return result


def item_discount(fields: Fields, common: dict) -> ItemDiscount:
    ways = [way for way in ("amount_off", "percent_off", "fixed_price") if fields.has(way)]
    if len(ways) != 1:
        found = f", got {' and '.join(ways)}" if ways else ""
        raise QuoteInputError(f"{fields.where}: needs exactly one of amount_off, percent_off, fixed_price{found}")
    return ItemDiscount(
        **common,
        skus=fields.get("skus", listed(text, allow_empty=False)),
        amount_off=fields.get("amount_off", money, None),
        percent_off=fields.get("percent_off", ratio_between(0, 100), None),
        fixed_price=fields.get("fixed_price", money, None),
    )


def store_threshold(fields: Fields, common: dict) -> StoreThreshold:
    by_steps = [key for key in ("every", "off", "cap") if fields.has(key)]
    if fields.has("tiers") == bool(by_steps):
        raise QuoteInputError(f"{fields.where}: needs either tiers or every and off (with an optional cap)")
    return StoreThreshold(
        **common,
        store=fields.get("store", text),
        tiers=fields.get("tiers", listed(tier, allow_empty=False), ()),
        every=fields.get("every", positive_money) if by_steps else None,
        off=fields.get("off", money) if by_steps else None,
        cap=fields.get("cap", money, None),
    )


def tier(value: Any, where: str) -> Tier:
    fields = Fields(value, where)
    result = Tier(fields.get("threshold", positive_money), fields.get("off", money))
    fields.finish()
    return result


def first_order_gift(fields: Fields, common: dict) -> FirstOrderGift:
    return FirstOrderGift(
        **common,
        store=fields.get("store", text),
        off=fields.get("off", money),
        threshold=fields.get("threshold", money, Decimal(0)),
    )


def cross_store(fields: Fields, common: dict) -> CrossStore:
    return CrossStore(
        **common,
        every=fields.get("every", positive_money),
        off=fields.get("off", money),
        cap=fields.get("cap", money, None),
        stores=fields.get("stores", texts, None),
        brands=fields.get("brands", brands, None),
    )


PROMOTION_KINDS = {
    "item_discount": item_discount,
    "store_threshold": store_threshold,
    "first_order_gift": first_order_gift,
    "cross_store": cross_store,
}


def coupon(value: Any, where: str):
    fields = Fields(value, where)
    kind = fields.get("kind", text)
    build = COUPON_KINDS.get(kind)
    if build is None:
        expected = ", ".join(COUPON_KINDS)
        raise QuoteInputError(f'{fields.path("kind")}: unknown coupon kind "{kind}" (expected one of {expected})')
    result = build(fields, offer_fields(fields))
    fields.finish()
    return result


def store_coupon(fields: Fields, common: dict) -> StoreCoupon:
    return StoreCoupon(
        **common,
        store=fields.get("store", text),
        threshold=fields.get("threshold", positive_money),
        off=fields.get("off", money),
    )


def platform_coupon(fields: Fields, common: dict) -> PlatformCoupon:
    return PlatformCoupon(
        **common,
        threshold=fields.get("threshold", positive_money),
        off=fields.get("off", money),
        brands=fields.get("brands", brands, None),
        categories=fields.get("categories", texts, None),
        stores=fields.get("stores", texts, None),
    )


def red_packet(fields: Fields, common: dict) -> RedPacket:
    return RedPacket(**common, off=fields.get("off", money))


COUPON_KINDS = {"store_coupon": store_coupon, "platform_coupon": platform_coupon, "red_packet": red_packet}
