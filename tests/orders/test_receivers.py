"""orders answers promotions' first-order question: a store where the shopper has a paid order gives no
first-order gift any more; an unpaid order does not count."""

from decimal import Decimal

import pytest

from orders.services import mark_order_paid
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.promotions.factories import StorePromotionFactory
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db

D = Decimal


def gift_in(store):
    return StorePromotionFactory(store=store, kind="first_order_gift", off=D("10.00"), threshold=D("0.00"), every=None)


def test_only_stores_without_a_paid_order_give_the_first_order_gift():
    first, second = StoreFactory(), StoreFactory()
    gift_in(first)
    gift_in(second)
    shopper, address = shopper_with_address()
    sku_first, sku_second = sku_in(first), sku_in(second)
    order, _created = buy(shopper, address, (sku_first, 1))
    assert order.suborders.get().discount == D("10.00")  # the first order in this store takes the gift

    unpaid_so_far, _created = buy(shopper, address, (sku_first, 1), (sku_second, 1))
    assert {s.store_id: s.discount for s in unpaid_so_far.suborders.all()} == {
        first.pk: D("10.00"),
        second.pk: D("10.00"),
    }

    mark_order_paid(order, reference="sandbox-1")
    later, _created = buy(shopper, address, (sku_first, 1), (sku_second, 1))
    by_store = {s.store_id: s.discount for s in later.suborders.all()}
    assert by_store == {first.pk: D("0.00"), second.pk: D("10.00")}
