"""Row locks on orders' tables, and the lock order of the whole project.

Every ``select_for_update`` on a cart, an order, a sub-order, an order line, a stock draw or an invoice is taken
here, each kind in primary-key order; every other app that locks rows does so in its own ``lock_objects.py``
(tests/marketplace/test_lock_objects.py keeps it so). A transaction that locks rows of several kinds takes them in
the order below (skipping what it does not need), so two transactions never wait for each other in a circle:

1. shoppers (user rows, by pk): checkout and flash orders serialise one shopper's purchases (per-shopper limits)
2. the cart (orders.cart)
3. payments (payments: a callback locks its payment, then marks the order paid)
4. the order
5. its sub-orders, by pk
6. their order lines, by pk (the refundable quantities of a sub-order)
7. refund requests, by pk (refunds.lock_objects)
8. ledger accounts, by pk (settlement.lock_objects: a store's payable account; payments.ledger only appends)
9. issued coupons by pk, then campaign spend (promotions.lock_objects: consumed at checkout, given back when an
   order closes)
10. refund lines, by pk (refunds.lock_objects: which refunded units went back on the shelf)
11. stock draws, by pk (which stock rows an order line's units came from)
12. stock levels, by pk (shops.lock_objects, for shops.stock)

Taken alone, with no other lock held: a sub-order's invoice while the store issues it (orders.invoices).

A worker sweeping many rows (beat jobs) takes a sub-order with ``try_lock_suborder`` (SKIP LOCKED) and leaves a busy
one for the next run instead of waiting behind a person acting on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from orders.models import Cart, Invoice, Order, OrderLine, StockDraw, SubOrder


def require_transaction(what: str) -> None:
    """A row lock outside a transaction is released at once: refuse it rather than lock nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"lock {what} inside a transaction")


def lock_shoppers(shopper_ids: Iterable[int]) -> list[int]:
    """Lock the shoppers' user rows (step 1), so their per-shopper limits are checked one purchase at a time."""
    return list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=list(shopper_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def locked_cart(cart: Cart) -> Cart:
    return Cart.objects.select_for_update().get(pk=cart.pk)


def locked_order(order: Order | int) -> Order:
    require_transaction("orders")
    return Order.objects.select_for_update().get(pk=getattr(order, "pk", order))


def locked_suborder(suborder: SubOrder | int) -> SubOrder:
    """One sub-order (with its order and store), locked: concurrent changes to it serialise here. The order row is
    locked with it (as it always was); the store row is only read: locking it too (PostgreSQL locks every joined
    row unless told ``OF``) made every sub-order change wait on, and deadlock with, any insert referencing the
    store (its foreign-key check takes a share lock on the store row)."""
    require_transaction("sub-orders")
    pk = getattr(suborder, "pk", suborder)
    return SubOrder.objects.select_for_update(of=("self", "order")).select_related("order", "store").get(pk=pk)


def locked_suborders(suborder_ids: Iterable[int]) -> dict[int, SubOrder]:
    """Many sub-orders locked in pk order; pk -> sub-order."""
    require_transaction("sub-orders")
    rows = SubOrder.objects.select_for_update().filter(pk__in=list(suborder_ids)).order_by("pk")
    return {suborder.pk: suborder for suborder in rows}


def locked_suborders_of(order: Order) -> list[SubOrder]:
    """Every sub-order of a (locked) order, locked in pk order."""
    require_transaction("sub-orders")
    return list(order.suborders.select_for_update().order_by("pk"))


def try_lock_suborder(suborder_id: int) -> SubOrder | None:
    """The sub-order locked, or None when another transaction holds it (a sweep comes back to it next run)."""
    require_transaction("sub-orders")
    return SubOrder.objects.select_for_update(skip_locked=True).filter(pk=suborder_id).first()


def locked_order_lines(lines: QuerySet[OrderLine]) -> QuerySet[OrderLine]:
    """``lines`` (of one locked sub-order) locked in pk order; joined rows (SKU, product) stay unlocked."""
    return lines.select_for_update(of=("self",)).order_by("pk")


def locked_stock_draws(line_ids: Iterable[int]) -> list[StockDraw]:
    require_transaction("stock draws")
    return list(StockDraw.objects.select_for_update().filter(line_id__in=list(line_ids)).order_by("pk"))


def locked_invoice(suborder: SubOrder) -> Invoice | None:
    """The sub-order's invoice, locked (None when the shopper did not ask for one)."""
    return Invoice.objects.select_for_update().filter(suborder=suborder).first()
