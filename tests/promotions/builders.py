"""Scenario dicts in the JSON shape of PRICING.md, and running them through the engine's public API."""

import json
from decimal import Decimal

from promotions.engine import parse_request, quote, render_result

AT = "2026-11-11T00:10:00+08:00"


def store(store_id: str, brand: str = "TMALL") -> dict:
    return {"id": store_id, "brand": brand}


def line(line_id: str, store_id: str, price: str, quantity: int = 1, sku: str | None = None, category: str = "apparel"):
    return {
        "id": line_id,
        "store": store_id,
        "sku": sku or line_id,
        "category": category,
        "unit_price": price,
        "quantity": quantity,
    }


def scenario(lines, stores=None, promotions=(), coupons=(), choice="best", first_order=(), at=AT) -> dict:
    if stores is None:
        stores = [store(store_id) for store_id in dict.fromkeys(item["store"] for item in lines)]
    return {
        "at": at,
        "shopper": {"id": "u1", "first_order_stores": list(first_order)},
        "stores": list(stores),
        "lines": list(lines),
        "promotions": list(promotions),
        "coupons": list(coupons),
        "coupon_choice": choice,
    }


def cross_store(promotion_id: str, every: str, off: str, **extra) -> dict:
    return {"id": promotion_id, "kind": "cross_store", "every": every, "off": off, **extra}


def store_threshold(promotion_id: str, store_id: str, **fields) -> dict:
    return {"id": promotion_id, "kind": "store_threshold", "store": store_id, **fields}


def tiers(*pairs: tuple[str, str]) -> list[dict]:
    return [{"threshold": threshold, "off": off} for threshold, off in pairs]


def item_discount(promotion_id: str, skus: list[str], **way) -> dict:
    return {"id": promotion_id, "kind": "item_discount", "skus": skus, **way}


def gift(promotion_id: str, store_id: str, off: str, **extra) -> dict:
    return {"id": promotion_id, "kind": "first_order_gift", "store": store_id, "off": off, **extra}


def store_coupon(coupon_id: str, store_id: str, threshold: str, off: str, **extra) -> dict:
    return {"id": coupon_id, "kind": "store_coupon", "store": store_id, "threshold": threshold, "off": off, **extra}


def platform_coupon(coupon_id: str, threshold: str, off: str, **restrictions) -> dict:
    return {"id": coupon_id, "kind": "platform_coupon", "threshold": threshold, "off": off, **restrictions}


def red_packet(coupon_id: str, off: str, **extra) -> dict:
    return {"id": coupon_id, "kind": "red_packet", "off": off, **extra}


def run(data: dict) -> dict:
    """Parse, price and render, as ``manage.py quote`` does (through a JSON round trip)."""
    decoded = json.loads(json.dumps(data), parse_float=Decimal)
    return render_result(quote(parse_request(decoded)))


def payables(output: dict) -> list[str]:
    return [item["payable"] for item in output["lines"]]


def shares(output: dict, source: str) -> list[str]:
    """Each line's share of ``source`` ("0.00" where it took nothing)."""
    found = []
    for item in output["lines"]:
        amounts = [discount["amount"] for discount in item["discounts"] if discount["source"] == source]
        found.append(amounts[0] if amounts else "0.00")
    return found


def applied(output: dict, source: str) -> dict | None:
    return next((entry for entry in output["applied"] if entry["source"] == source), None)
