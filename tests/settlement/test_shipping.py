"""Shipping is settled to the store whole: commission is taken on the goods only; refunded shipping is not settled."""

import pytest

from orders import services as order_services
from payments import ledger
from refunds.services.requests import withdraw_request
from settlement import services as settlement
from settlement.models import CommissionRate
from tests.refunds.helpers import D, paid_with_shipping, refund, ship

pytestmark = pytest.mark.django_db


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
