"""Scenario helpers for refund and settlement tests: paid orders, and the ledger checks after each scenario."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from orders import services as order_services
from payments import checks
from payments import services as payment_services
from payments.gateway import get_gateway
from refunds.services.requests import create_request
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.shops.factories import ShippingTemplateFactory, StoreFactory

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


def paid_with_shipping(quantity=2, fee="12.00"):
    """A paid one-line order of a store whose default template charges `fee` per sub-order: (shopper, suborder, line)."""
    store = StoreFactory()
    ShippingTemplateFactory(store=store, first_fee=D(fee), additional_fee=D("0.00"), is_default=True)
    sku = sku_in(store, price="100.00")
    order, lines, suborder = paid_order((sku, quantity))
    assert suborder.shipping_fee == D(fee) and order.payable == D("100.00") * quantity + D(fee)
    return order.shopper, suborder, lines[sku.pk]


def refund(shopper, suborder, quantities):
    """A refund-only request of these {line id: units}, as the shopper."""
    return create_request(
        shopper=shopper, suborder_id=suborder.pk, quantities=quantities, reason="not_wanted", idempotency_key=key()
    )


__all__ = ["D", "assert_ledger_clean", "key", "paid_order", "paid_with_shipping", "pay", "pytest", "refund", "ship",
           "simple_paid", "sku_in"]  # fmt: skip
