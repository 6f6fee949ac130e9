"""凑单 helper: when the cart is short of a threshold ("add ¥37 more to save ¥50"), find products from the stores
taking part that close the gap with the least overspend. Every candidate is priced by the promotions engine with
the cart (so "saves" is what the shopper would really save), never by arithmetic here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from orders import cart as carts
from orders import cart_view
from promotions.adapter import CartItemInput, price_cart
from shops.models import SKU
from shops.selectors import closures_for, hidden_store_ids

CANDIDATES = 12
SUGGESTIONS = 4


@dataclass
class Suggestion:
    product_id: int
    sku_id: int
    title: str
    price: Decimal
    quantity: int
    overspend: Decimal
    saves: Decimal


@dataclass
class Gap:
    label: str
    spend_more: Decimal
    save: Decimal
    suggestions: list[Suggestion] = field(default_factory=list)


def _candidate_skus(store_ids, gap: Decimal, exclude_skus) -> list[SKU]:
    """Cheapest SKUs at or above the gap in those stores (on sale, in stock, store open), then the dearest below
    it (two of them may close the gap)."""
    hidden = set(hidden_store_ids()) | set(closures_for(store_ids))
    stores = [pk for pk in store_ids if pk not in hidden]
    base = (
        SKU.objects.filter(store_id__in=stores, is_active=True, product__status="active")
        .exclude(pk__in=exclude_skus)
        .filter(stock_levels__quantity__gt=0, stock_levels__outlet__isnull=True)
        .select_related("product")
        .distinct()
    )
    above = list(base.filter(price__gte=gap).order_by("price", "pk")[:CANDIDATES])
    below = list(base.filter(price__lt=gap, price__gt=0).order_by("-price", "pk")[: CANDIDATES // 2])
    return above + below


def gaps(cart, shopper=None) -> list[Gap]:
    if cart is None or cart.pk is None:
        return []
    shopper = shopper if carts.is_shopper(shopper) else None
    inputs, _problems = carts.priceable_inputs(cart, shopper)
    if not inputs:
        return []
    priced, _error = cart_view.price_with_choice(cart, shopper, inputs)
    if priced is None or not priced.hints:
        return []
    store_ids = sorted({item.sku.store_id for item in inputs})
    in_cart = {item.sku.pk for item in inputs}
    result = []
    for hint in priced.hints[:3]:
        gap = Gap(label=hint.label, spend_more=hint.spend_more, save=hint.save)
        stores = store_ids
        if hint.source_kind == "store_promotion":
            stores = [pk for pk in store_ids if _promotion_store(hint.source_id) in (None, pk)]
        options = []
        for sku in _candidate_skus(stores, hint.spend_more, in_cart):
            quantity = 1 if sku.price >= hint.spend_more else int(-(-hint.spend_more // sku.price))
            if quantity > 5:
                continue
            trial = price_cart(
                shopper=shopper,
                items=[*inputs, CartItemInput(key="fill", sku=sku, quantity=quantity, source="recommendation")],
            )
            saves = priced.payable + sku.price * quantity - trial.payable
            if saves <= 0:
                continue
            overspend = sku.price * quantity - hint.spend_more
            options.append(Suggestion(sku.product_id, sku.pk, sku.product.title, sku.price, quantity, overspend, saves))
        options.sort(key=lambda option: (option.overspend, -option.saves, option.sku_id))
        gap.suggestions = options[:SUGGESTIONS]
        result.append(gap)
    return result


def _promotion_store(promotion_id) -> int | None:
    from promotions.models import StorePromotion

    return StorePromotion.objects.filter(pk=promotion_id).values_list("store_id", flat=True).first()


def gaps_for_request(request) -> list[Gap]:
    return gaps(carts.cart_for(request, create=False), request.user)
