"""Shipping fees of priced lines, per store, from the products' templates (the rule is shops.shipping, pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shops import shipping
from shops.models import SKU, Product, ShippingTemplate


@dataclass(frozen=True)
class ShippedLine:
    sku: SKU
    quantity: int
    amount: Decimal  # what the shopper pays for the line's goods after every discount


def templates_of(products: Iterable[Product]) -> dict[int, ShippingTemplate | None]:
    """product id -> its template (its own, else its store's default, else None = free shipping)."""
    products = list(products)
    store_ids = {product.store_id for product in products}
    own_ids = {product.shipping_template_id for product in products if product.shipping_template_id}
    templates = {
        template.pk: template
        for template in ShippingTemplate.objects.filter(pk__in=own_ids)
        | ShippingTemplate.objects.filter(store_id__in=store_ids, is_default=True)
    }
    defaults = {t.store_id: t for t in templates.values() if t.is_default}
    result = {}
    for product in products:
        own = templates.get(product.shipping_template_id)
        # A template of another store never applies (kept out by the services; checked again here).
        result[product.pk] = (
            own if own is not None and own.store_id == product.store_id else defaults.get(product.store_id)
        )
    return result


def fees_by_store(lines: list[ShippedLine], province: str, *, pickup_store_ids: Iterable[int] = ()) -> dict:
    """store id -> shipping fee of the store's lines delivered to ``province`` (0 for stores picked up)."""
    pickup = set(pickup_store_ids)
    templates = templates_of({line.sku.product_id: line.sku.product for line in lines}.values())
    parcels: dict[int, dict[int | None, list]] = {}
    for line in lines:
        template = templates.get(line.sku.product_id)
        group = parcels.setdefault(line.sku.store_id, {}).setdefault(
            template.pk if template else None, [template, 0, 0]
        )
        group[1] += line.quantity
        group[2] += line.amount
    fees = {}
    for store_id, groups in parcels.items():
        if store_id in pickup:
            fees[store_id] = shipping.ZERO
            continue
        fees[store_id] = shipping.suborder_fee(
            [
                shipping.Parcel(template.rule() if template else shipping.FREE_SHIPPING, quantity, amount)
                for template, quantity, amount in groups.values()
            ],
            province,
        )
    return fees
