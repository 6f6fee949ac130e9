"""QuoteResult -> the JSON-able dict of PRICING.md "Output" (amounts as strings with exactly 2 places)."""

from decimal import Decimal

from promotions.engine.model import QuoteResult


def amount(value: Decimal) -> str:
    return f"{value:.2f}"


def render_result(result: QuoteResult) -> dict:
    return {
        "lines": [
            {
                "id": line.id,
                "subtotal": amount(line.subtotal),
                "base": amount(line.base),
                "payable": amount(line.payable),
                "discounts": [
                    {"source": discount.source, "lane": str(discount.lane), "amount": amount(discount.amount)}
                    for discount in line.discounts
                ],
            }
            for line in result.lines
        ],
        "stores": [
            {
                "id": store.id,
                "subtotal": amount(store.subtotal),
                "discount": amount(store.discount),
                "payable": amount(store.payable),
            }
            for store in result.stores
        ],
        "applied": [
            {
                "source": applied.source,
                "lane": str(applied.lane),
                "amount": amount(applied.amount),
                "platform_funded": amount(applied.platform_funded),
                "merchant_funded": {store_id: amount(part) for store_id, part in applied.merchant_funded.items()},
            }
            for applied in result.applied
        ],
        "coupons_used": list(result.coupons_used),
        "totals": {
            "subtotal": amount(result.totals.subtotal),
            "discount": amount(result.totals.discount),
            "payable": amount(result.totals.payable),
        },
        "hints": [
            {"source": hint.source, "spend_more": amount(hint.spend_more), "save": amount(hint.save)}
            for hint in result.hints
        ],
    }
