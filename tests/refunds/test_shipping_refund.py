"""Shipping fees follow the money: refunded with a whole unshipped sub-order, settled to the store otherwise."""

import pytest

from orders import services as order_services
from orders.models import SubOrder
from payments import ledger
from refunds.models import RefundRequest
from refunds.services import processing
from refunds.services.requests import create_request, withdraw_request
from settlement import services as settlement
from settlement.models import CommissionRate
from tests.refunds.conftest import ledger_checked  # noqa: F401 - ledger checks after every scenario
from tests.refunds.helpers import D, key, paid_order, ship, sku_in
from tests.shops.factories import ShippingTemplateFactory, StoreFactory

pytestmark = pytest.mark.django_db


def paid_with_shipping(quantity=2, fee="12.00"):
    store = StoreFactory()
    ShippingTemplateFactory(store=store, first_fee=D(fee), additional_fee=D("0.00"), is_default=True)
    sku = sku_in(store, price="100.00")
    order, lines, suborder = paid_order((sku, quantity))
    assert suborder.shipping_fee == D(fee) and order.payable == D("100.00") * quantity + D(fee)
    return order.shopper, suborder, lines[sku.pk]


def refund(shopper, suborder, quantities):
    return create_request(
        shopper=shopper, suborder_id=suborder.pk, quantities=quantities, reason="not_wanted", idempotency_key=key()
    )


def test_refunding_a_whole_unshipped_suborder_returns_its_shipping():
    shopper, suborder, line = paid_with_shipping(quantity=2)
    escrow_before = ledger.balance(ledger.ESCROW)
    request = refund(shopper, suborder, {line.pk: 2})
    assert request.shipping_amount == D("12.00") and request.amount == D("212.00")
    assert processing.pay(request.pk) == "refunded"
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.CLOSED
    assert ledger.balance(ledger.ESCROW) == escrow_before - D("212.00")


def test_shipping_goes_back_with_the_last_units_only_once():
    shopper, suborder, line = paid_with_shipping(quantity=3)
    first = refund(shopper, suborder, {line.pk: 1})
    assert first.shipping_amount == D("0.00") and first.amount == D("100.00")
    processing.pay(first.pk)
    last = refund(shopper, suborder, {line.pk: 2})
    assert last.shipping_amount == D("12.00") and last.amount == D("212.00")
    processing.pay(last.pk)
    paid_back = sum(RefundRequest.objects.filter(suborder=suborder).values_list("amount", flat=True))
    assert paid_back == suborder.payable == D("312.00")


def test_after_shipping_the_fee_is_not_refunded_and_is_settled_to_the_store():
    CommissionRate.objects.create(rate=D("0.0500"))
    shopper, suborder, line = paid_with_shipping(quantity=2)
    ship(suborder)
    request = refund(shopper, suborder, {line.pk: 2})
    assert request.shipping_amount == D("0.00") and request.amount == D("200.00")
    withdraw_request(request.pk, shopper=shopper)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    result = settlement.settle(suborder.pk)
    # Commission is taken on the goods only; the shipping fee goes to the store whole.
    assert result.paid_amount == D("212.00") and result.commission == D("10.00")
    assert result.store_amount == D("202.00")
    assert ledger.balance(ledger.store_payable(suborder.store_id)) == D("202.00")
