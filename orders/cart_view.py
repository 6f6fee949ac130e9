"""Reading the cart: what the cart page, the API and buy-now show. Every view prices the lines with the promotions
engine (a client never sends a price), groups them by store with each store's shipping fee, and says what stops a
line from being bought."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import Address
from marketplace.api import DomainError
from marketplace.money import ZERO
from orders.cart import priceable_inputs
from orders.cart_limits import check_quantity, is_shopper, max_quantity
from orders.models import Cart, CartItem
from promotions.adapter import CartItemInput, PricedCart, PricedLine, price_cart
from shops.models import Store
from shops.selectors import purchasable_problem
from shops.selectors.shipping import ShippedLine, fees_by_store


@dataclass
class CartLine:
    item: CartItem
    problem: str | None
    max_quantity: int
    priced: PricedLine | None = None
    key: str = ""  # the pricing key of a line that is not a saved cart item (buy now)


@dataclass
class StoreGroup:
    store: Store
    lines: list[CartLine] = field(default_factory=list)
    subtotal: object = None
    discount: object = None
    payable: object = None
    shipping_fee: object = None  # for the shopper's default address; None when not known (no address)

    @property
    def all_selected(self) -> bool:
        return all(line.item.selected for line in self.lines)

    @property
    def total(self):
        if self.payable is None:
            return None
        return self.payable + (self.shipping_fee or 0)


@dataclass
class CartView:
    cart: Cart
    groups: list[StoreGroup]
    priced: PricedCart | None
    coupon_error: str = ""
    province: str = ""  # where the shipping estimate delivers to ("" = no address yet)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def selected_ids(self) -> list[int]:
        return [line.item.pk for group in self.groups for line in group.lines if line.item.selected]

    @property
    def problems(self) -> list[str]:
        return [
            f"{line.item.sku}: {line.problem}"
            for group in self.groups
            for line in group.lines
            if line.problem and line.item.selected
        ]

    @property
    def can_checkout(self) -> bool:
        return bool(self.selected_ids) and not self.problems and self.priced is not None

    @property
    def shipping_fee(self):
        fees = [group.shipping_fee for group in self.groups if group.shipping_fee is not None]
        return sum(fees) if fees else None

    @property
    def total(self):
        """Goods after discounts plus shipping (the estimate for the default address)."""
        if self.priced is None:
            return None
        return self.priced.payable + (self.shipping_fee or 0)

    @property
    def discount_breakdown(self) -> list[dict]:
        """Each promotion's total over the cart (store offers, cross-store campaigns, coupons), largest first."""
        totals: dict[tuple[str, str], object] = {}
        for line in self.priced.lines if self.priced else []:
            for discount in line.discounts:
                key = (discount.lane, discount.label)
                totals[key] = totals.get(key, 0) + discount.amount
        rows = [{"lane": lane, "label": label, "amount": amount} for (lane, label), amount in totals.items()]
        return sorted(rows, key=lambda row: row["amount"], reverse=True)

    @property
    def count(self) -> int:
        return sum(line.item.quantity for group in self.groups for line in group.lines)

    @property
    def selected_count(self) -> int:
        return sum(line.item.quantity for group in self.groups for line in group.lines if line.item.selected)


def line_problem(item: CartItem, shopper) -> str | None:
    problem = purchasable_problem(item.sku)
    if problem:
        return problem
    try:
        check_quantity(item.sku, item.quantity, shopper)
    except DomainError as exc:
        return exc.message
    return None


def view_cart(cart: Cart | None, shopper=None, selection: list[int] | None = None, province=None) -> CartView:
    """The cart grouped by store; the ticked lines (or ``selection``) priced together, with each store's shipping
    for ``province`` (default: the shopper's default address)."""
    if cart is None:
        return CartView(cart=Cart(), groups=[], priced=None)
    shopper = shopper if is_shopper(shopper) else None
    items = list(cart.items.select_related("sku__product", "sku__store").order_by("added_at", "id"))
    if selection is not None:
        for item in items:
            item.selected = item.pk in selection
    chosen = [item.pk for item in items if item.selected]
    inputs, problems = priceable_inputs(cart, shopper)
    inputs = [item for item in inputs if int(item.key) in chosen]
    priced, coupon_error = price_with_choice(cart, shopper, inputs) if inputs else (None, "")
    groups: dict[int, StoreGroup] = {}
    for item in items:
        group = groups.setdefault(item.sku.store_id, StoreGroup(store=item.sku.store))
        line = CartLine(item=item, problem=problems[item.pk], max_quantity=max_quantity(item.sku, shopper))
        if priced and not line.problem and item.selected:
            line.priced = priced.line(str(item.pk))
        group.lines.append(line)
    if province is None:
        province = default_province(shopper)
    if priced:
        fees = estimate_shipping(priced, inputs, province)
        for store in priced.stores:
            group = groups[store.store_id]
            group.subtotal, group.discount, group.payable = store.subtotal, store.discount, store.payable
            group.shipping_fee = fees.get(store.store_id)
    return CartView(
        cart=cart, groups=list(groups.values()), priced=priced, coupon_error=coupon_error, province=province or ""
    )


def view_buy_now(inputs: list[CartItemInput], shopper, province: str = "") -> CartView:
    """Buy-now lines (立即购买) shown like a cart of their own; the shopper's cart is not read or touched."""
    shopper = shopper if is_shopper(shopper) else None
    groups: dict[int, StoreGroup] = {}
    fine = []
    for item in inputs:
        line_item = CartItem(sku=item.sku, quantity=item.quantity, source=item.source, selected=True)
        problem = line_problem(line_item, shopper)
        if not problem:
            fine.append(item)
        group = groups.setdefault(item.sku.store_id, StoreGroup(store=item.sku.store))
        group.lines.append(
            CartLine(item=line_item, problem=problem, max_quantity=max_quantity(item.sku, shopper), key=item.key)
        )
    priced, error = None, ""
    if fine:
        try:
            priced = price_cart(shopper=shopper, items=fine, coupon_choice="best")
        except DomainError as exc:
            error = exc.message
    if priced:
        for group in groups.values():
            for line in group.lines:
                line.priced = None if line.problem else priced.line(line.key)
        fees = estimate_shipping(priced, fine, province)
        for store in priced.stores:
            group = groups[store.store_id]
            group.subtotal, group.discount, group.payable = store.subtotal, store.discount, store.payable
            group.shipping_fee = fees.get(store.store_id)
    return CartView(cart=Cart(), groups=list(groups.values()), priced=priced, coupon_error=error, province=province)


def default_province(shopper) -> str:
    if shopper is None:
        return ""
    address = Address.objects.filter(user=shopper).order_by("-is_default", "pk").first()
    return address.province if address else ""


def estimate_shipping(priced: PricedCart, inputs: list[CartItemInput], province: str, pickup_store_ids=()) -> dict:
    """store id -> shipping of the priced lines to ``province`` (without an address: the templates' default
    rates; 0 for stores picked up). The goods are priced first and never re-priced: shipping is outside every
    promotion lane and threshold."""
    by_key = {str(item.key): item for item in inputs}
    lines = [ShippedLine(by_key[line.key].sku, line.quantity, line.payable) for line in priced.lines]
    fees = fees_by_store(lines, province or "", pickup_store_ids=pickup_store_ids)
    return {store.store_id: fees.get(store.store_id, ZERO) for store in priced.stores}


def price_with_choice(cart: Cart, shopper, inputs) -> tuple[PricedCart | None, str]:
    """Price with the shopper's coupon choice; if it no longer applies, fall back to the best choice and say so."""
    choice = cart.coupon_choice if cart.coupon_choice is not None else "best"
    try:
        return price_cart(shopper=shopper, items=inputs, coupon_choice=choice), ""
    except DomainError as exc:
        if choice == "best":
            return None, exc.message
        return price_cart(shopper=shopper, items=inputs, coupon_choice="best"), exc.message
