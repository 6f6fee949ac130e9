"""Shipping fees are refunded with a whole unshipped sub-order (tests/settlement/test_shipping.py: settled otherwise)."""

import pytest

from orders.models import SubOrder
from payments import ledger
from refunds.models import RefundRequest
from refunds.services import processing
from tests.refunds.conftest import ledger_checked  # noqa: F401 - ledger checks after every scenario
from tests.refunds.helpers import D, paid_with_shipping, refund

pytestmark = pytest.mark.django_db


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
