"""Checkout: turn the shopper's cart into one Order with one SubOrder per store, in one transaction.

Idempotent: the (shopper, idempotency_key) unique constraint makes a double click or a retried request return the
order the first submission created. The Order row is inserted first, so a concurrent duplicate waits on the unique
index and then finds the committed order instead of reserving stock a second time.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Address
from marketplace.api import DomainError
from marketplace.money import to_money
from orders import cart as carts
from orders import cart_view, flash
from orders.lock_objects import lock_shoppers
from orders.models import Cart, Invoice, Order, OrderLine, StockDraw
from orders.order_rows import Fulfilment, build_order, insert_suborders
from promotions.adapter import CartItemInput, PricedCart, price_cart
from shops import stock
from shops.models import Outlet

NOTE_MAX_LENGTH = 200
TAX_NUMBER = re.compile(r"^[0-9A-Z]{15,20}$")


def pickup_outlets(cart: Cart | None, inputs: list[CartItemInput] | None = None) -> dict[int, list[Outlet]]:
    """store id -> active outlets that can hand over everything checked out from that store (the cart's lines,
    or ``inputs`` when given: a selection or a buy-now line)."""
    needs: dict[int, dict[int, int]] = {}
    if inputs is None:
        inputs = [CartItemInput(str(i.pk), i.sku, i.quantity) for i in cart.items.select_related("sku")]
    for item in inputs:
        needs.setdefault(item.sku.store_id, {})[item.sku.pk] = item.quantity
    result = {}
    for store_id, quantities in needs.items():
        ids = stock.outlets_with_stock(quantities, store_id)
        result[store_id] = list(Outlet.objects.filter(pk__in=ids).order_by("pk"))
    return result


def clean_address(shopper, address_id) -> Address:
    try:
        pk = int(str(address_id))
    except (TypeError, ValueError):
        pk = None
    address = Address.objects.filter(pk=pk, user=shopper).first() if pk else None
    if address is None:  # someone else's address looks exactly like a missing one
        raise DomainError(_("Choose one of your delivery addresses."), code="invalid_address")
    return address


def clean_fulfilment(store_ids: set[int], choices: dict | None) -> dict[int, Fulfilment]:
    """``choices``: store id -> outlet id for pickup (missing / None / "" = delivery)."""
    choices = choices or {}
    result = {}
    for raw_store, raw_outlet in choices.items():
        try:
            store_id = int(str(raw_store))
        except ValueError:
            raise DomainError(_("Unknown store in the delivery choices."), code="invalid_fulfilment") from None
        if store_id not in store_ids:
            raise DomainError(_("Unknown store in the delivery choices."), code="invalid_fulfilment")
        if raw_outlet in (None, "", "delivery"):
            continue
        try:
            outlet_id = int(str(raw_outlet))
        except ValueError:
            raise DomainError(_("Choose an outlet for pickup."), code="invalid_fulfilment") from None
        if not Outlet.objects.filter(pk=outlet_id, store_id=store_id, is_active=True).exists():
            raise DomainError(_("That outlet does not offer pickup for this store."), code="invalid_fulfilment")
        result[store_id] = Fulfilment(store_id, outlet_id)
    for store_id in store_ids:
        result.setdefault(store_id, Fulfilment(store_id))
    return result


def clean_notes(store_ids: set[int], notes: dict | None) -> dict[int, str]:
    """``notes``: store id -> the shopper's note to that store (留言), at most NOTE_MAX_LENGTH characters."""
    result = {}
    for raw_store, raw_note in (notes or {}).items():
        try:
            store_id = int(str(raw_store))
        except ValueError:
            store_id = None
        if store_id not in store_ids:
            raise DomainError(_("A note names a store that is not in this order."), code="invalid_note")
        note = " ".join(str(raw_note or "").split())
        if len(note) > NOTE_MAX_LENGTH:
            raise DomainError(
                _("A note to the store can have at most %(max)s characters.") % {"max": NOTE_MAX_LENGTH},
                code="invalid_note",
            )
        if note:
            result[store_id] = note
    return result


def clean_invoice(invoice: dict | None) -> dict | None:
    """An e-invoice request: {"kind": "personal"|"company", "title": ..., "tax_number": ... (company only)}."""
    if not invoice or not invoice.get("kind"):
        return None
    kind = str(invoice.get("kind"))
    if kind not in Invoice.Kind.values:
        raise DomainError(_("Choose a personal or a company invoice."), code="invalid_invoice")
    title = " ".join(str(invoice.get("title") or "").split())
    if not title or len(title) > 120:
        raise DomainError(_("Give the invoice title (your name or the company name)."), code="invalid_invoice")
    tax_number = str(invoice.get("tax_number") or "").strip().upper()
    if kind == Invoice.Kind.COMPANY and not TAX_NUMBER.match(tax_number):
        raise DomainError(
            _("A company invoice needs the company's tax number (15 to 20 letters and digits)."),
            code="invalid_invoice",
        )
    return {"kind": kind, "title": title, "tax_number": tax_number if kind == Invoice.Kind.COMPANY else ""}


def shipping_fees(
    priced: PricedCart, inputs: list[CartItemInput], province: str, pickup_store_ids=()
) -> dict[int, Decimal]:
    """store id -> shipping fee of the priced lines delivered to ``province`` (see orders.cart_view.estimate_shipping)."""
    return cart_view.estimate_shipping(priced, inputs, province, pickup_store_ids)


def clean_key(idempotency_key) -> str:
    key = str(idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise DomainError(_("A checkout needs an idempotency key of 1 to 80 characters."), code="invalid_key")
    return key


def place_order(
    *,
    shopper,
    cart: Cart | None,
    idempotency_key,
    address_id=None,
    fulfilment: dict | None = None,
    coupon_choice="cart",
    expected_payable=None,
    buy_now: list[dict] | None = None,
    items=None,
    notes: dict | None = None,
    invoice: dict | None = None,
) -> tuple[Order, bool]:
    """Create the order from the cart (or from ``buy_now`` lines, 立即购买, leaving the cart alone).
    ``items``: cart item ids to check out (勾选结算); the other lines stay in the cart. None = the whole cart.
    Returns (order, created); a repeated key returns the first order.

    SKUs with an armed flash sale (orders.flash) are admitted through Redis first, before any stock query, so
    buyers who come too late are refused cheaply; a checkout that then fails gives its units back."""
    key = clean_key(idempotency_key)
    existing = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
    if existing:
        return existing, False
    if buy_now:
        inputs, problems = buy_now_lines(buy_now), {}
    else:
        selection = None if items is None else carts.parse_selection(cart, items)
        inputs, problems = carts.priceable_inputs(cart, shopper, selection)
    if not inputs and not any(problems.values()):
        raise DomainError(_("Your cart is empty."), code="empty_cart")
    store_ids = {item.sku.store_id for item in inputs}
    choices = clean_fulfilment(store_ids, fulfilment)
    extras = {"notes": clean_notes(store_ids, notes), "invoice": clean_invoice(invoice)}
    taken = flash.admit([(i.sku.pk, i.quantity) for i in inputs if not choices[i.sku.store_id].is_pickup])
    try:
        order, created = place(
            shopper, cart, key, inputs, problems, choices, address_id, coupon_choice, expected_payable, not buy_now,
            extras,
        )  # fmt: skip
    except BaseException:
        flash.give_back(taken)
        raise
    if not created:
        flash.give_back(taken)
    return order, created


def place(
    shopper, cart, key, inputs, problems, choices, address_id, coupon_choice, expected_payable, from_cart, extras
):
    bad = [message for message in problems.values() if message]
    if bad:
        raise DomainError(_("Fix your cart first: %(problems)s") % {"problems": "; ".join(bad)}, code="cart_problem")
    if not from_cart:  # cart lines were checked by priceable_inputs
        for item in inputs:
            carts.check_quantity(item.sku, item.quantity, shopper)
    items = {str(item.key): item for item in inputs}
    address = None
    if any(not choice.is_pickup for choice in choices.values()) or address_id not in (None, ""):
        address = clean_address(shopper, address_id)
    priced = price_for_checkout(shopper, cart, inputs, coupon_choice)
    pickup = {store_id for store_id, choice in choices.items() if choice.is_pickup}
    fees = shipping_fees(priced, inputs, address.province if address else "", pickup)
    total = priced.payable + sum(fees.values(), Decimal("0.00"))
    if expected_payable not in (None, "") and to_money(expected_payable) != total:
        raise DomainError(
            _("The total changed to %(total)s; please review your order.") % {"total": total},
            code="price_changed",
            status_code=409,
        )
    try:
        with transaction.atomic():
            order = create_order(shopper, key, address, priced, fees)
            enforce_per_shopper_limits(shopper, inputs)
            requests, lines = insert_suborders(order, priced, items, choices, fees, extras)
            from promotions.services.consumption import consume_for_order

            consume_for_order(shopper=shopper, priced=priced, order_id=order.pk)
            if from_cart:
                cart.items.filter(pk__in=[int(k) for k in items]).delete()
                cart.coupon_choice = None
                cart.save(update_fields=["coupon_choice", "updated_at"])
            # Last, so the stock rows (the hot rows of a flash sale) stay locked only until the commit.
            reserve_stock(requests, lines)
    except IntegrityError:
        existing = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    return order, True


def price_for_checkout(shopper, cart: Cart | None, inputs, coupon_choice) -> PricedCart:
    """Price with the given coupons; the cart's own choice ("cart") falls back to the best coupons when it no
    longer applies to what is checked out (e.g. a coupon of a store left out of the selection), as the page did."""
    inherited = coupon_choice == "cart"
    if inherited:
        coupon_choice = cart.coupon_choice if cart is not None else None
    coupon_choice = carts.parse_coupon_choice(coupon_choice)
    if coupon_choice is None:
        return price_cart(shopper=shopper, items=inputs, coupon_choice="best")
    try:
        return price_cart(shopper=shopper, items=inputs, coupon_choice=coupon_choice)
    except DomainError:
        if not inherited:
            raise
        return price_cart(shopper=shopper, items=inputs, coupon_choice="best")


def enforce_per_shopper_limits(shopper, inputs: list[CartItemInput]) -> None:
    """Re-check limited SKUs under a lock on the shopper, so two checkouts of one shopper at the same moment
    cannot together buy more than the limit (the earlier check ran outside any lock)."""
    limited = [item for item in inputs if item.sku.per_shopper_limit]
    if not limited:
        return
    lock_shoppers([shopper.pk])
    for item in limited:
        carts.check_quantity(item.sku, item.quantity, shopper)


def buy_now_lines(lines: list[dict]) -> list[CartItemInput]:
    """Lines bought directly (no cart). Checked like cart lines (after flash admission, see place_order)."""
    inputs = []
    seen = set()
    for index, line in enumerate(lines):
        sku = carts.find_sku(line.get("sku"))
        if sku.pk in seen:
            raise DomainError(_("Each product option can appear only once."), code="duplicate_line")
        seen.add(sku.pk)
        quantity = carts.parse_quantity(line.get("quantity", 1))
        inputs.append(
            CartItemInput(key=f"b{index}", sku=sku, quantity=quantity, source=str(line.get("source", ""))[:64])
        )
    return inputs


def create_order(shopper, key: str, address: Address | None, priced: PricedCart, fees: dict | None = None) -> Order:
    order = build_order(shopper, key, address, priced, fees)
    order.save(force_insert=True)
    return order


def reserve_stock(requests: list[stock.StockRequest], lines: dict[str, OrderLine]) -> None:
    draws = stock.reserve(requests)
    StockDraw.objects.bulk_create(
        StockDraw(line=lines[key], stock_level_id=draw.stock_level_id, quantity=draw.quantity)
        for key, line_draws in draws.items()
        for draw in line_draws
    )
