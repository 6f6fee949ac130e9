"""Scenario helpers for refund and settlement tests: paid orders, and the ledger checks after each scenario."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from orders import services as order_services
from payments import checks
from payments import services as payment_services
from payments.gateway import get_gateway
from tests.orders.helpers import buy, shopper_with_address, sku_in

D = Decimal


def assert_ledger_clean() -> None:
    """Every ledger check (payments' and settlement's) must pass."""
    problems = checks.run_all()
    assert problems == [], "\n".join(f"{p.check}: {p.message}" for p in problems)


def ledger_check_fixture(request):
    """Autouse body: after each database scenario, the whole ledger must be consistent."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    assert_ledger_clean()


def pay(order):
    payment = get_gateway().create_payment(order, order.payable, "http://127.0.0.1/payments/callback/")
    assert payment_services.apply_success(payment) == "paid"
    order.refresh_from_db()
    return payment


def paid_order(*lines, user=None, address=None):
    """lines: (sku, quantity); returns (order, {sku_id: OrderLine}, suborder of the first line's store)."""
    if user is None:
        user, address = shopper_with_address()
    order, _created = buy(user, address, *lines)
    pay(order)
    suborders = list(order.suborders.order_by("pk"))
    lines_by_sku = {line.sku_id: line for s in suborders for line in s.lines.all()}
    return order, lines_by_sku, suborders[0]


def simple_paid(price="100.00", quantity=2, store=None, stock=10):
    """A paid one-line order in a (Taobao by default) store: (shopper, suborder, line)."""
    sku = sku_in(store, price=price, stock=stock)
    order, lines, suborder = paid_order((sku, quantity))
    return order.shopper, suborder, lines[sku.pk]


def key() -> str:
    return uuid.uuid4().hex


def ship(suborder):
    owner = suborder.store.merchant.owner
    return order_services.ship(suborder.pk, actor=owner, carrier="SF", tracking_number=f"SF{suborder.pk}")


__all__ = ["D", "assert_ledger_clean", "key", "paid_order", "pay", "pytest", "ship", "simple_paid", "sku_in"]
