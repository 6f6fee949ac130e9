"""Concurrency on real PostgreSQL with threads: no overselling, no deadlocks, one order per idempotency key."""

import uuid

import pytest

from orders import cart as carts
from orders.checkout import place_order
from orders.models import Order, OrderLine
from shops.models import StockLevel
from tests.orders.helpers import cart_of, run_threads, shopper_with_address, sku_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_buyers_of_the_last_units_sell_exactly_the_stock():
    sku = sku_in(stock=5)
    buyers = [shopper_with_address() for _ in range(16)]
    for user, _address in buyers:
        carts.add_item(cart_of(user), sku_id=sku.pk, quantity=1, shopper=user)

    def attempt(index):
        user, address = buyers[index]
        order, _ = place_order(
            shopper=user, cart=cart_of(user), idempotency_key=uuid.uuid4().hex, address_id=address.pk
        )
        return "ok"

    results, errors = run_threads(len(buyers), attempt)
    assert errors == []
    assert results.count("ok") == 5 and results.count("out_of_stock") == 11
    assert StockLevel.objects.get(sku=sku).quantity == 0
    assert sum(OrderLine.objects.filter(sku=sku).values_list("quantity", flat=True)) == 5


def test_carts_sharing_skus_in_opposite_order_never_deadlock():
    a, b, c = sku_in(stock=1000), sku_in(stock=1000), sku_in(stock=1000)
    orders = [(a, b, c), (c, b, a), (b, a, c), (c, a, b)] * 2
    buyers = [shopper_with_address() for _ in orders]
    for (user, _address), skus in zip(buyers, orders, strict=True):
        for sku in skus:
            carts.add_item(cart_of(user), sku_id=sku.pk, quantity=2, shopper=user)

    def attempt(index):
        user, address = buyers[index]
        place_order(shopper=user, cart=cart_of(user), idempotency_key=uuid.uuid4().hex, address_id=address.pk)
        return "ok"

    results, errors = run_threads(len(buyers), attempt)
    assert errors == [] and results == ["ok"] * len(buyers)
    for sku in (a, b, c):
        assert StockLevel.objects.get(sku=sku).quantity == 1000 - 2 * len(buyers)


def test_duplicate_submission_creates_one_order():
    user, address = shopper_with_address()
    sku = sku_in(stock=10)
    carts.add_item(cart_of(user), sku_id=sku.pk, quantity=2, shopper=user)

    def attempt(index):
        order, created = place_order(
            shopper=user, cart=cart_of(user), idempotency_key="same-key", address_id=address.pk
        )
        return order.pk

    results, errors = run_threads(6, attempt)
    assert errors == []
    assert Order.objects.count() == 1 and set(results) == {Order.objects.get().pk}
    assert StockLevel.objects.get(sku=sku).quantity == 8


def test_one_shopper_racing_two_checkouts_never_exceeds_the_per_shopper_limit():
    user, address = shopper_with_address()
    sku = sku_in(stock=100, per_shopper_limit=2)

    def attempt(index):
        place_order(
            shopper=user,
            cart=None,
            idempotency_key=uuid.uuid4().hex,
            address_id=address.pk,
            buy_now=[{"sku": sku.pk, "quantity": 2}],
        )
        return "ok"

    results, errors = run_threads(4, attempt)
    assert errors == []
    assert results.count("ok") == 1 and results.count("per_shopper_limit") == 3
    assert sum(OrderLine.objects.filter(sku=sku).values_list("quantity", flat=True)) == 2
