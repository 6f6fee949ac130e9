"""Checkout: one order, one sub-order per store, lines with prices from the server, stock reserved, idempotent."""

from decimal import Decimal

import pytest

from marketplace.api import DomainError
from orders import cart as carts
from orders.checkout import place_order
from orders.models import Order, OrderLine, StockDraw, SubOrder
from shops.models import StockLevel, StockPool
from tests.accounts.factories import AddressFactory
from tests.orders.helpers import buy, cart_of, shopper_with_address, sku_in
from tests.promotions.factories import StorePromotionFactory
from tests.shops.factories import OutletFactory, StoreFactory, TmallStoreFactory

D = Decimal
pytestmark = pytest.mark.django_db


def stock_of(sku):
    return sum(StockLevel.objects.filter(sku=sku).values_list("quantity", flat=True))


def test_checkout_splits_by_store_reserves_stock_and_empties_cart():
    user, address = shopper_with_address()
    taobao, tmall = StoreFactory(), TmallStoreFactory()
    a, b = sku_in(taobao, price="30.00", stock=5), sku_in(tmall, price="250.00", stock=3)
    order, created = buy(user, address, (a, 2), (b, 1))
    assert created
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.payable == D("310.00") and order.subtotal == D("310.00")
    assert order.shipping_address["recipient"] == address.recipient
    suborders = list(order.suborders.order_by("store_id"))
    assert [s.store_id for s in suborders] == sorted([taobao.pk, tmall.pk])
    assert all(s.state == SubOrder.State.AWAITING_PAYMENT for s in suborders)
    assert stock_of(a) == 3 and stock_of(b) == 2
    line = OrderLine.objects.get(sku=a)
    assert (line.quantity, line.unit_price, line.subtotal, line.payable) == (2, D("30.00"), D("60.00"), D("60.00"))
    assert StockDraw.objects.get(line=line).quantity == 2
    assert not cart_of(user).items.exists()
    assert all(s.events.filter(kind="placed").exists() for s in suborders)


def test_store_promotion_discount_is_stored_per_line():
    user, address = shopper_with_address()
    store = StoreFactory()
    StorePromotionFactory(store=store, every=D("200.00"), off=D("20.00"))
    sku = sku_in(store, price="100.00")
    order, _ = buy(user, address, (sku, 2))
    line = OrderLine.objects.get(suborder__order=order)
    assert line.payable == D("180.00") and order.payable == D("180.00") and order.discount == D("20.00")
    discount = line.discounts.get()
    assert (discount.lane, discount.amount, discount.merchant_funded) == ("store", D("20.00"), D("20.00"))


def test_same_idempotency_key_returns_the_same_order():
    user, address = shopper_with_address()
    sku = sku_in(stock=5)
    first, created = buy(user, address, (sku, 1), key="k-1")
    carts.add_item(cart_of(user), sku_id=sku.pk, quantity=1, shopper=user)
    again, created_again = place_order(shopper=user, cart=cart_of(user), idempotency_key="k-1", address_id=address.pk)
    assert created and not created_again and again.pk == first.pk
    assert Order.objects.count() == 1 and stock_of(sku) == 4


def test_pickup_draws_from_outlet_pool_first():
    user, address = shopper_with_address()
    store = StoreFactory()
    outlet = OutletFactory(store=store)
    sku = sku_in(store, stock=5)
    outlet_only = StockLevel.objects.create(sku=sku, outlet=outlet, pool=StockPool.OUTLET, quantity=1)
    shared = StockLevel.objects.create(sku=sku, outlet=outlet, pool=StockPool.SHARED, quantity=4)
    order, _ = buy(user, None, (sku, 3), fulfilment={store.pk: outlet.pk})
    suborder = order.suborders.get()
    assert suborder.is_pickup and suborder.pickup_outlet == outlet
    outlet_only.refresh_from_db()
    shared.refresh_from_db()
    assert (outlet_only.quantity, shared.quantity) == (0, 2)
    warehouse = StockLevel.objects.get(sku=sku, outlet__isnull=True)
    assert warehouse.quantity == 5


def test_delivery_draws_warehouse_then_shared_outlet_pools_never_outlet_only():
    user, address = shopper_with_address()
    store = StoreFactory()
    outlet = OutletFactory(store=store)
    sku = sku_in(store, stock=2)
    StockLevel.objects.create(sku=sku, outlet=outlet, pool=StockPool.OUTLET, quantity=50)
    shared = StockLevel.objects.create(sku=sku, outlet=outlet, pool=StockPool.SHARED, quantity=3)
    order, _ = buy(user, address, (sku, 4))
    draws = {d.stock_level_id: d.quantity for d in StockDraw.objects.filter(line__suborder__order=order)}
    warehouse = StockLevel.objects.get(sku=sku, outlet__isnull=True)
    assert draws == {warehouse.pk: 2, shared.pk: 2}
    with pytest.raises(DomainError):  # 1 shared left; the 50 outlet-only units are not for delivery
        buy(user, address, (sku, 2))


def test_out_of_stock_at_checkout_changes_nothing():
    user, address = shopper_with_address()
    a, b = sku_in(stock=5), sku_in(stock=1)
    cart = cart_of(user)
    carts.add_item(cart, sku_id=a.pk, quantity=2, shopper=user)
    carts.add_item(cart, sku_id=b.pk, quantity=1, shopper=user)
    StockLevel.objects.filter(sku=b).update(quantity=0)  # someone else bought it meanwhile
    with pytest.raises(DomainError):
        place_order(shopper=user, cart=cart, idempotency_key="x", address_id=address.pk)
    assert Order.objects.count() == 0 and stock_of(a) == 5 and cart.items.count() == 2


def test_someone_elses_address_is_refused():
    user, _address = shopper_with_address()
    other_address = AddressFactory()
    sku = sku_in()
    carts.add_item(cart_of(user), sku_id=sku.pk, quantity=1, shopper=user)
    with pytest.raises(DomainError) as exc:
        place_order(shopper=user, cart=cart_of(user), idempotency_key="x", address_id=other_address.pk)
    assert exc.value.code == "invalid_address"
    assert Order.objects.count() == 0 and stock_of(sku) == 10


def test_pickup_at_an_outlet_of_another_store_is_refused():
    user, address = shopper_with_address()
    sku = sku_in()
    foreign_outlet = OutletFactory()
    carts.add_item(cart_of(user), sku_id=sku.pk, quantity=1, shopper=user)
    with pytest.raises(DomainError) as exc:
        place_order(
            shopper=user,
            cart=cart_of(user),
            idempotency_key="x",
            address_id=address.pk,
            fulfilment={sku.store_id: foreign_outlet.pk},
        )
    assert exc.value.code == "invalid_fulfilment"


def test_empty_cart_is_refused():
    user, address = shopper_with_address()
    with pytest.raises(DomainError) as exc:
        place_order(shopper=user, cart=cart_of(user), idempotency_key="x", address_id=address.pk)
    assert exc.value.code == "empty_cart"
