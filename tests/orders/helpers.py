"""Helpers for order tests: a cart with items, checkout, pay through the sandbox callback."""

from __future__ import annotations

import threading
import uuid

from django.db import connection

from marketplace.api import DomainError
from orders import cart as carts
from orders.checkout import place_order
from orders.models import Cart
from tests.accounts.factories import AddressFactory, UserFactory
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory


def shopper_with_address(**kwargs):
    user = UserFactory(**kwargs)
    address = AddressFactory(user=user, is_default=True)
    return user, address


def sku_in(store=None, *, price="100.00", stock=10, **kwargs):
    from decimal import Decimal

    store = store or StoreFactory()
    return SKUFactory(product=ProductFactory(store=store), price=Decimal(price), stock=stock, **kwargs)


def cart_of(user) -> Cart:
    return Cart.objects.get_or_create(shopper=user)[0]


def buy(user, address, *lines, key=None, fulfilment=None, coupon_choice="cart"):
    """Put ``(sku, quantity)`` lines in the user's cart and check out. Returns (order, created)."""
    cart = cart_of(user)
    for sku, quantity in lines:
        carts.add_item(cart, sku_id=sku.pk, quantity=quantity, shopper=user)
    return place_order(
        shopper=user,
        cart=cart,
        idempotency_key=key or uuid.uuid4().hex,
        address_id=address.pk if address else None,
        fulfilment=fulfilment,
        coupon_choice=coupon_choice,
    )


def run_threads(count, target):
    """Run target(index) in ``count`` threads released at once; returns (results or DomainError codes, other
    errors). Each thread closes its own database connection."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except DomainError as exc:
            results.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - a deadlock or 500 must fail the test, so keep it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results, errors
