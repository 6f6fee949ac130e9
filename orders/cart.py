"""The cart: one per shopper or anonymous session, one line per SKU, priced by the promotions engine on every view.

Quantities are limited by stock (delivery, or the best outlet for pickup) and the SKU's per-shopper limit (counting
units already bought in orders that were not cancelled; see orders.cart_limits). A client never sends a price.
This module changes the cart; orders.cart_view reads it (what the page and the API show).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders.cart_limits import (  # noqa: F401 - the cart's public names, as callers use them (carts.check_quantity)
    MAX_LINE_QUANTITY,
    bought_by,
    check_quantity,
    find_sku,
    is_shopper,
    line_problems,
    max_quantity,
    parse_quantity,
)
from orders.lock_objects import locked_cart
from orders.models import Cart, CartItem, SubOrder
from promotions.adapter import CartItemInput, price_cart
from promotions.adapter.loading import live_source

# What the checks and the pricing of a cart line read, joined: no query per line.
CART_LINE_RELATIONS = ("sku__product__store", "sku__product__category", "sku__store")

# ---------------------------------------------------------------------------------------------------------------
# Finding the cart


def cart_for(request, *, create: bool = True) -> Cart | None:
    """The logged-in shopper's cart, or the anonymous session's."""
    if is_shopper(request.user):
        if create:
            return Cart.objects.get_or_create(shopper=request.user)[0]
        return Cart.objects.filter(shopper=request.user).first()
    session = request.session
    if not session.session_key:
        if not create:
            return None
        session.save()
    if create:
        return Cart.objects.get_or_create(session_key=session.session_key)[0]
    return Cart.objects.filter(session_key=session.session_key).first()


# ---------------------------------------------------------------------------------------------------------------
# Changing the cart


def add_item(cart: Cart, *, sku_id, quantity, source: str = "", shopper=None) -> CartItem:
    """Add ``quantity`` units (on top of what the cart holds). ``source`` attributes the line (e.g. live:<id>)."""
    sku = find_sku(sku_id)
    quantity = parse_quantity(quantity)
    source = (source or "").strip()[:64]
    with transaction.atomic():
        cart = locked_cart(cart)
        item = CartItem.objects.filter(cart=cart, sku=sku).first()
        total = quantity + (item.quantity if item else 0)
        check_quantity(sku, total, shopper)
        if item is None:
            return CartItem.objects.create(cart=cart, sku=sku, quantity=total, source=source)
        item.quantity = total
        item.source = merged_source(item.source, source)
        item.save(update_fields=["quantity", "source"])
        return item


def merged_source(held: str, added: str) -> str:
    """The source of a line that held units from ``held`` and gets more from ``added``. A cart keeps one line per
    SKU, and a live room's price applies to a whole line: the line keeps a room's source only while every unit in it
    was added in that room, else units added elsewhere would be sold at the live price. Other sources only
    attribute the line: the latest wins."""
    if held == added:
        return held
    if live_source(held) is None and live_source(added) is None:
        return added or held
    return next((source for source in (held, added) if live_source(source) is None), "")


def set_quantity(cart: Cart, item_id, quantity, shopper=None) -> CartItem:
    with transaction.atomic():
        cart = locked_cart(cart)
        item = cart_item(cart, item_id)  # another cart's line is a 404 before the quantity is even looked at
        quantity = parse_quantity(quantity)
        check_quantity(item.sku, quantity, shopper)
        item.quantity = quantity
        item.save(update_fields=["quantity"])
        return item


def remove_item(cart: Cart, item_id) -> None:
    with transaction.atomic():
        cart = locked_cart(cart)
        cart_item(cart, item_id).delete()


def cart_item(cart: Cart, item_id) -> CartItem:
    try:
        pk = int(str(item_id))
    except (TypeError, ValueError):
        pk = None
    item = CartItem.objects.select_related("sku__product", "sku__store").filter(cart=cart, pk=pk).first()
    if item is None:  # another cart's line looks exactly like a missing one
        raise DomainError(_("This line is not in your cart."), code="not_found", status_code=404)
    return item


def parse_coupon_choice(value):
    """ "best" / None / [] -> None (engine picks); otherwise a list of coupon ids."""
    if value in (None, "", "best"):
        return None
    if isinstance(value, str):
        value = [part for part in value.replace(" ", "").split(",") if part]
    if not isinstance(value, list | tuple):
        raise DomainError(_('Choose "best" or a list of coupon ids.'), code="invalid_coupon_choice")
    ids = []
    for part in value:
        try:
            ids.append(int(str(part)))
        except ValueError:
            raise DomainError(_("Coupon ids must be whole numbers."), code="invalid_coupon_choice") from None
    return ids


def set_coupon_choice(cart: Cart, value, shopper) -> Cart:
    """Use these coupons (or "best"); refused with a clear message if they cannot apply to this cart."""
    choice = parse_coupon_choice(value)
    items = priceable_inputs(cart)[0]
    price_cart(shopper=shopper, items=items, coupon_choice="best" if choice is None else choice)
    cart.coupon_choice = choice
    cart.save(update_fields=["coupon_choice", "updated_at"])
    return cart


def merge_session_cart_on_login(request, user) -> None:
    """Login hook: the anonymous cart's lines join the shopper's cart (capped by stock and limits)."""
    key = getattr(request, "session_key_before_login", None)
    if not key:
        return
    anonymous = Cart.objects.filter(session_key=key, shopper__isnull=True).first()
    if anonymous is None:
        return
    with transaction.atomic():
        target = locked_cart(Cart.objects.get_or_create(shopper=user)[0])
        for item in anonymous.items.select_related("sku"):
            existing = CartItem.objects.filter(cart=target, sku=item.sku).first()
            wanted = item.quantity + (existing.quantity if existing else 0)
            quantity = min(wanted, max_quantity(item.sku, user))
            if quantity < 1:
                continue
            if existing:
                existing.quantity = quantity
                existing.source = merged_source(existing.source, item.source)
                existing.save(update_fields=["quantity", "source"])
            else:
                CartItem.objects.create(cart=target, sku=item.sku, quantity=quantity, source=item.source)
        anonymous.delete()


def first_order_stores(shopper, store_ids: set[int]) -> set[int]:
    """The stores where ``shopper`` has never had a paid order (first-order gifts; answers promotions' signal)."""
    if not is_shopper(shopper):
        return set(store_ids)
    return first_order_stores_of([shopper.pk], store_ids)[shopper.pk]


def first_order_stores_of(shopper_ids: list[int], store_ids: set[int]) -> dict[int, set[int]]:
    """first_order_stores for many shoppers in one query: shopper id -> stores without a paid order of theirs."""
    bought: dict[int, set[int]] = {shopper_id: set() for shopper_id in shopper_ids}
    paid = SubOrder.objects.filter(order__shopper_id__in=shopper_ids, store_id__in=store_ids, paid_at__isnull=False)
    for shopper_id, store_id in paid.values_list("order__shopper_id", "store_id"):
        bought[shopper_id].add(store_id)
    return {shopper_id: set(store_ids) - stores for shopper_id, stores in bought.items()}


def parse_selection(cart: Cart | None, item_ids) -> list[int]:
    """Cart item ids chosen for checkout (勾选结算). Ids not in this cart (another shopper's, or unknown) are
    refused as a whole: nothing is checked out by half."""
    if not isinstance(item_ids, list | tuple):
        raise DomainError(_("Choose the items to check out as a list of cart item ids."), code="invalid_items")
    ids = []
    for value in item_ids:
        if isinstance(value, bool):
            value = None
        try:
            ids.append(int(str(value)))
        except (TypeError, ValueError):
            raise DomainError(_("Cart item ids must be whole numbers."), code="invalid_items") from None
    if not ids:
        raise DomainError(_("Choose at least one item to check out."), code="empty_selection")
    if len(set(ids)) != len(ids):
        raise DomainError(_("Each cart item can be chosen only once."), code="invalid_items")
    known = set(cart.items.filter(pk__in=ids).values_list("pk", flat=True)) if cart is not None and cart.pk else set()
    unknown = [pk for pk in ids if pk not in known]
    if unknown:
        raise DomainError(
            _("These items are not in your cart: %(ids)s") % {"ids": ", ".join(map(str, unknown))},
            code="unknown_cart_item",
        )
    return ids


def set_selection(cart: Cart, item_ids) -> None:
    """Tick exactly these lines for checkout (an empty list unticks every line)."""
    ids = parse_selection(cart, item_ids) if item_ids else []
    with transaction.atomic():
        cart = locked_cart(cart)
        cart.items.update(selected=False)
        cart.items.filter(pk__in=ids).update(selected=True)


def priceable_inputs(
    cart: Cart, shopper=None, selection: list[int] | None = None
) -> tuple[list[CartItemInput], dict[int, str | None]]:
    """The cart's lines (or only ``selection``) that can be priced, and each line's problem (None = fine)."""
    items = cart.items.select_related(*CART_LINE_RELATIONS).order_by("added_at", "id")
    if selection is not None:
        items = items.filter(pk__in=selection)
    items = list(items)
    problems = line_problems(items, shopper or cart.shopper)
    inputs = [
        CartItemInput(key=str(item.pk), sku=item.sku, quantity=item.quantity, source=item.source)
        for item in items
        if not problems[item.pk]
    ]
    return inputs, problems
