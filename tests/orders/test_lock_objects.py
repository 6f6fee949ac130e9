"""What a sub-order lock holds: the sub-order and its order, never its store (every order of the store would queue
behind it, and inserts referencing the store deadlock with it)."""

import pytest
from django.db import OperationalError, transaction

from orders.lock_objects import locked_suborder
from orders.models import Order, SubOrder
from shops.models import Store
from tests.orders.helpers import buy, run_threads, shopper_with_address, sku_in

pytestmark = pytest.mark.django_db(transaction=True)


def _taken_elsewhere(model, pk) -> bool:
    def attempt(_index):
        with transaction.atomic():
            try:
                model.objects.select_for_update(nowait=True).get(pk=pk)
            except OperationalError:
                return True
        return False

    results, errors = run_threads(1, attempt)
    assert errors == []
    return results[0]


def test_a_locked_suborder_holds_itself_and_its_order_but_not_its_store():
    shopper, address = shopper_with_address()
    order, _created = buy(shopper, address, (sku_in(), 1))
    suborder = order.suborders.get()
    with transaction.atomic():
        locked = locked_suborder(suborder.pk)
        assert locked.store.name  # read with it
        assert _taken_elsewhere(SubOrder, suborder.pk)
        assert _taken_elsewhere(Order, order.pk)
        assert not _taken_elsewhere(Store, suborder.store_id)
