"""Sub-order state machine, time-outs (unpaid cancel, automatic receipt), restocking and the services refunds uses."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.api import DomainError
from orders import cart as carts
from orders import lock_objects, services, signals
from orders.models import Order, SubOrder
from payments import services as payment_services
from promotions.models import IssuedCoupon
from shops.models import StockLevel
from tests.orders.helpers import buy, cart_of, shopper_with_address, sku_in
from tests.payments.test_callbacks import body_for, deliver
from tests.promotions.factories import IssuedCouponFactory, RedPacketTemplateFactory

D = Decimal
pytestmark = pytest.mark.django_db


def stock_of(sku):
    return sum(StockLevel.objects.filter(sku=sku).values_list("quantity", flat=True))


def paid(order):
    deliver(body_for(payment_services.start_payment(order, order.shopper)))
    order.refresh_from_db()
    return order


def test_invalid_transitions_are_refused_with_a_domain_error():
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(), 1))
    suborder = order.suborders.get()
    with pytest.raises(DomainError) as exc:
        services.ship(suborder, actor=None, carrier="SF", tracking_number="1")  # not paid yet
    assert exc.value.code == "invalid_transition"
    with pytest.raises(DomainError):
        services.confirm_receipt(suborder, shopper=user)
    with pytest.raises(DomainError):
        services.mark_completed(suborder)
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.AWAITING_PAYMENT and suborder.events.count() == 1


def test_unpaid_orders_time_out_releasing_stock_and_coupons():
    user, address = shopper_with_address()
    sku = sku_in(price="100.00", stock=4)
    coupon = IssuedCouponFactory(shopper=user, template=RedPacketTemplateFactory(off=D("5.00")))
    order, _ = buy(user, address, (sku, 3))
    assert order.payable == D("295.00")
    coupon.refresh_from_db()
    assert coupon.status == IssuedCoupon.Status.USED and stock_of(sku) == 1
    assert services.cancel_expired_orders() == 0  # not due yet
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert services.cancel_expired_orders(now=later) == 1
    assert services.cancel_expired_orders(now=later) == 0  # idempotent
    order.refresh_from_db()
    coupon.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.promotions_released
    assert order.suborders.get().state == SubOrder.State.CLOSED
    assert stock_of(sku) == 4
    assert coupon.status == IssuedCoupon.Status.RETURNED
    assert order.suborders.get().events.filter(kind="cancelled").exists()


def test_paid_orders_are_not_cancelled_by_the_time_out():
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(), 1))
    paid(order)
    assert services.cancel_expired_orders(now=timezone.now() + datetime.timedelta(hours=2)) == 0
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_auto_receive_ten_days_after_delivery_unless_a_refund_is_open():
    user, address = shopper_with_address()
    order = paid(buy(user, address, (sku_in(), 1), (sku_in(), 1))[0])
    first, second = order.suborders.order_by("pk")
    for suborder in (first, second):
        services.ship(suborder, actor=None, carrier="SF", tracking_number=f"T{suborder.pk}")
    delivered = timezone.now() + datetime.timedelta(days=2)
    for suborder in (first, second):
        assert services.mark_delivered(suborder, at=delivered)
    assert not services.mark_delivered(first, at=delivered)  # a repeated report changes nothing
    services.set_refund_open(second, True)
    assert services.auto_receive_shipped(now=timezone.now() + datetime.timedelta(days=10, minutes=1)) == 0
    later = delivered + datetime.timedelta(days=10, minutes=1)
    assert services.auto_receive_shipped(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == SubOrder.State.RECEIVED and second.state == SubOrder.State.SHIPPED
    assert first.events.filter(kind="auto_received", actor__isnull=True).exists()
    services.set_refund_open(second, False)
    assert services.auto_receive_shipped(now=later) == 1


def test_restock_line_returns_units_to_the_rows_they_came_from_and_never_more():
    from tests.shops.factories import OutletFactory

    user, address = shopper_with_address()
    sku = sku_in(stock=1)
    outlet = OutletFactory(store=sku.store)
    shared = StockLevel.objects.create(sku=sku, outlet=outlet, pool="shared", quantity=5)
    order, _ = buy(user, address, (sku, 3))
    line = order.suborders.get().lines.get()
    warehouse = StockLevel.objects.get(sku=sku, outlet__isnull=True)
    assert (warehouse.quantity, StockLevel.objects.get(pk=shared.pk).quantity) == (0, 3)
    services.restock_line(line, 2)
    warehouse.refresh_from_db()
    shared.refresh_from_db()
    assert (warehouse.quantity, shared.quantity) == (1, 4)
    with pytest.raises(DomainError):
        services.restock_line(line, 2)  # only 1 unit left to restore
    services.restock_line(line, 1)
    shared.refresh_from_db()
    assert shared.quantity == 5


def test_close_suborder_gives_coupons_back_when_every_suborder_closed_before_shipping():
    user, address = shopper_with_address()
    coupon = IssuedCouponFactory(shopper=user, template=RedPacketTemplateFactory(off=D("5.00")))
    order = paid(buy(user, address, (sku_in(), 1), (sku_in(), 1))[0])
    first, second = order.suborders.order_by("pk")
    services.close_suborder(first, None, "refunded")
    coupon.refresh_from_db()
    assert coupon.status == IssuedCoupon.Status.USED
    services.close_suborder(second, None, "refunded")
    services.close_suborder(second, None, "refunded")  # idempotent
    coupon.refresh_from_db()
    assert coupon.status == IssuedCoupon.Status.RETURNED


def test_close_suborders_uses_the_transition_guard_events_and_signal():
    user, address = shopper_with_address()
    order = paid(buy(user, address, (sku_in(), 1), (sku_in(), 1))[0])
    first, second = order.suborders.order_by("pk")
    heard = []

    def listener(sender, suborder, from_state, to_state, actor, **kwargs):
        heard.append((suborder.pk, from_state, to_state))

    signals.suborder_state_changed.connect(listener)
    try:
        with transaction.atomic():
            services.close_suborders([lock_objects.locked_suborder(first)], None, "refunded")
            services.close_suborders([lock_objects.locked_suborder(first)], None, "again")  # closed: nothing
    finally:
        signals.suborder_state_changed.disconnect(listener)
    assert heard == [(first.pk, SubOrder.State.AWAITING_SHIPMENT, SubOrder.State.CLOSED)]
    event = first.events.get(kind="closed")
    assert (event.from_state, event.to_state, event.reason) == ("awaiting_shipment", "closed", "refunded")
    first.refresh_from_db()
    assert first.closed_at is not None and not first.can_become(SubOrder.State.CLOSED)
    assert second.can_become(SubOrder.State.CLOSED) and not second.can_become(SubOrder.State.AWAITING_PAYMENT)


def test_is_unshipped_only_while_the_goods_are_on_the_shelf():
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(), 1))
    suborder = order.suborders.get()
    assert not suborder.is_unshipped  # not paid: nothing to ship
    paid(order)
    suborder.refresh_from_db()
    assert suborder.is_unshipped
    services.ship(suborder, actor=None, carrier="SF", tracking_number="1")
    suborder.refresh_from_db()
    assert not suborder.is_unshipped


def test_mark_completed_after_receipt():
    user, address = shopper_with_address()
    order = paid(buy(user, address, (sku_in(), 1))[0])
    suborder = order.suborders.get()
    services.ship(suborder, actor=None, carrier="SF", tracking_number="1")
    services.confirm_receipt(suborder, shopper=user)
    services.mark_completed(suborder)
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.COMPLETED and suborder.completed_at
    assert [e.kind for e in suborder.events.all()] == ["placed", "paid", "shipped", "received", "completed"]


def test_per_shopper_limit_counts_units_already_bought():
    user, address = shopper_with_address()
    sku = sku_in(stock=50, per_shopper_limit=3)
    buy(user, address, (sku, 2))
    cart = cart_of(user)
    with pytest.raises(DomainError) as exc:
        carts.add_item(cart, sku_id=sku.pk, quantity=2, shopper=user)
    assert exc.value.code == "per_shopper_limit"
    carts.add_item(cart, sku_id=sku.pk, quantity=1, shopper=user)
    assert cart.items.get().quantity == 1
