"""Refund requests: amounts, bad input, the instant decision, and paying an approved refund exactly once."""

from decimal import Decimal

import pytest

from marketplace.api import DomainError
from orders import selectors as order_selectors
from orders.models import SubOrder
from payments import ledger
from payments.models import GatewayRefund, JournalEntry
from refunds.models import RefundRequest
from refunds.services import policies, processing
from refunds.services.requests import create_request
from shops.models import StockLevel
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.refunds.helpers import D, key, paid_order, ship, simple_paid, sku_in
from tests.shops.factories import TmallStoreFactory

pytestmark = pytest.mark.django_db
Status = RefundRequest.Status


def request_refund(shopper, suborder, quantities, **kwargs):
    kwargs.setdefault("reason", RefundRequest.Reason.NOT_WANTED)
    kwargs.setdefault("idempotency_key", key())
    return create_request(shopper=shopper, suborder_id=suborder.pk, quantities=quantities, **kwargs)


def stock_of(line):
    return sum(StockLevel.objects.filter(sku_id=line.sku_id).values_list("quantity", flat=True))


def test_unshipped_taobao_under_500_is_approved_instantly_and_paid_once():
    shopper, suborder, line = simple_paid(price="100.00", quantity=2)
    stock_before = stock_of(line)
    refund = request_refund(shopper, suborder, {line.pk: 1})
    assert refund.status == Status.APPROVED and refund.instant
    assert refund.amount == D("100.00")
    assert refund.policy_version == policies.current_version()
    assert SubOrder.objects.get(pk=suborder.pk).refund_open
    assert processing.pay(refund.pk) == "refunded"
    assert processing.pay(refund.pk) == "already_refunded"
    refund.refresh_from_db()
    assert refund.status == Status.REFUNDED and refund.gateway_reference
    assert GatewayRefund.objects.filter(payment__order=suborder.order).count() == 1
    assert JournalEntry.objects.filter(idempotency_key=f"refund:{refund.pk}").count() == 1
    assert stock_of(line) == stock_before + 1
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.AWAITING_SHIPMENT and not suborder.refund_open
    kinds = list(suborder.events.values_list("kind", flat=True))
    assert [k for k in kinds if k.startswith("refund")] == ["refund_requested", "refund_approved", "refund_paid"]


def test_refunding_everything_closes_the_suborder_and_returns_escrow():
    shopper, suborder, line = simple_paid(price="80.00", quantity=3)
    escrow_before = ledger.balance(ledger.ESCROW)
    first = request_refund(shopper, suborder, {line.pk: 1})
    processing.pay(first.pk)
    second = request_refund(shopper, suborder, {line.pk: 2})
    processing.pay(second.pk)
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.CLOSED
    assert first.amount + second.amount == D("240.00")
    assert ledger.balance(ledger.ESCROW) == escrow_before - D("240.00")


def test_amount_is_what_was_paid_after_discounts_pro_rata_with_remainder_on_the_last_unit():
    shopper, suborder, line = simple_paid(price="100.00", quantity=3)
    type(line).objects.filter(pk=line.pk).update(payable=D("250.00"))  # as if discounts of 50.00 were allocated
    a = request_refund(shopper, suborder, {line.pk: 1})
    b = request_refund(shopper, suborder, {line.pk: 1})
    c = request_refund(shopper, suborder, {line.pk: 1})
    assert [a.amount, b.amount, c.amount] == [D("83.33"), D("83.33"), D("83.34")]


def test_refunding_more_than_bought_is_refused_and_nothing_changes():
    shopper, suborder, line = simple_paid(quantity=2)
    request_refund(shopper, suborder, {line.pk: 1})
    with pytest.raises(DomainError) as excinfo:
        request_refund(shopper, suborder, {line.pk: 2})
    assert excinfo.value.code == "over_refund"
    assert RefundRequest.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1])
def test_zero_or_negative_quantities_are_refused(quantity):
    shopper, suborder, line = simple_paid(quantity=2)
    with pytest.raises(DomainError):
        request_refund(shopper, suborder, {line.pk: quantity})
    assert not RefundRequest.objects.exists()


def test_lines_of_another_shoppers_order_are_not_found():
    shopper, suborder, line = simple_paid()
    _other, other_suborder, other_line = simple_paid()
    with pytest.raises(DomainError) as excinfo:
        request_refund(shopper, other_suborder, {other_line.pk: 1})
    assert excinfo.value.status_code == 404
    with pytest.raises(DomainError) as excinfo:
        request_refund(shopper, suborder, {other_line.pk: 1})
    assert excinfo.value.code == "unknown_line"
    assert not RefundRequest.objects.exists()


def test_a_closed_suborder_cannot_be_refunded():
    shopper, suborder, line = simple_paid(quantity=1)
    processing.pay(request_refund(shopper, suborder, {line.pk: 1}).pk)
    with pytest.raises(DomainError) as excinfo:
        request_refund(shopper, suborder, {line.pk: 1})
    assert excinfo.value.code == "suborder_closed"


def test_same_idempotency_key_returns_the_same_request():
    shopper, suborder, line = simple_paid(quantity=2)
    first = request_refund(shopper, suborder, {line.pk: 1}, idempotency_key="k1")
    again = request_refund(shopper, suborder, {line.pk: 1}, idempotency_key="k1")
    assert first.pk == again.pk and RefundRequest.objects.count() == 1


def test_taobao_over_500_goes_to_the_merchant():
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)
    refund = request_refund(shopper, suborder, {line.pk: 1})
    assert refund.status == Status.PENDING_REVIEW and not refund.instant
    assert refund.policy_decision["reasons"][0]["code"] == "amount_over_limit"
    assert refund.deadline_at is not None


def test_tmall_has_no_limit():
    sku = sku_in(TmallStoreFactory(), price="3000.00")
    order, lines, suborder = paid_order((sku, 1))
    refund = request_refund(order.shopper, suborder, {lines[sku.pk].pk: 1})
    assert refund.status == Status.APPROVED


def test_shipped_goes_to_review_and_return_needs_shipping():
    shopper, suborder, line = simple_paid()
    with pytest.raises(DomainError) as excinfo:
        request_refund(shopper, suborder, {line.pk: 1}, kind=RefundRequest.Kind.RETURN_AND_REFUND)
    assert excinfo.value.code == "nothing_to_return"
    ship(suborder)
    refund = request_refund(shopper, suborder, {line.pk: 1})
    assert refund.status == Status.PENDING_REVIEW
    assert refund.policy_decision["reasons"][0]["code"] == "shipped"


def test_a_new_policy_version_applies_to_new_requests_only():
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)
    old = request_refund(shopper, suborder, {line.pk: 1})
    operator = OperatorFactory()
    document = policies.current_policy()[1].to_json()
    document["brands"]["TAOBAO"]["max_suborder_amount"] = "1000.00"
    version = policies.save_version(document, author=operator, note="raise Taobao limit", publish=True)
    new = request_refund(shopper, suborder, {line.pk: 1})
    old.refresh_from_db()
    assert old.status == Status.PENDING_REVIEW and old.policy_version.number == version.number - 1
    assert new.status == Status.APPROVED and new.policy_version == version


def test_unpaid_order_cannot_be_refunded():
    from tests.orders.helpers import buy, shopper_with_address

    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(), 1))
    suborder = order.suborders.get()
    with pytest.raises(DomainError) as excinfo:
        create_request(shopper=user, suborder_id=suborder.pk, quantities={suborder.lines.get().pk: 1},
                       reason="not_wanted", idempotency_key="x")  # fmt: skip
    assert excinfo.value.code == "not_paid"


def test_stranger_gets_404():
    _shopper, suborder, line = simple_paid()
    with pytest.raises(DomainError) as excinfo:
        request_refund(UserFactory(), suborder, {line.pk: 1})
    assert excinfo.value.status_code == 404
    assert Decimal(0) == sum(RefundRequest.objects.values_list("amount", flat=True))


def test_orders_counts_only_paid_refunds_as_refunded_units():
    # orders.selectors reads refund lines through the reverse relation, naming refunds' paid status itself.
    assert order_selectors.REFUND_PAID == RefundRequest.Status.REFUNDED
    shopper, suborder, line = simple_paid(price="100.00", quantity=3)
    approved = request_refund(shopper, suborder, {line.pk: 1})
    assert approved.status == Status.APPROVED
    assert order_selectors.refunded_units([suborder.pk]) == {}  # approved, not paid yet
    assert processing.pay(approved.pk) == "refunded"
    assert order_selectors.refunded_units([suborder.pk]) == {line.pk: 1}
    assert order_selectors.fully_refunded([suborder.pk]) == []
