"""The review path: merchant approve / reject, time-outs, return and refund, escalation to an operator."""

import datetime

import pytest
from django.utils import timezone

from marketplace.api import DomainError
from orders.models import SubOrder
from refunds.models import RefundRequest
from refunds.services import processing, review
from refunds.services.requests import create_request, modify_request, withdraw_request
from tests.accounts.factories import OperatorFactory
from tests.refunds.helpers import D, key, ship, simple_paid
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
Status = RefundRequest.Status
Kind = RefundRequest.Kind


def reviewed_request(*, shipped=False, kind=Kind.REFUND_ONLY, price="300.00", quantity=2):
    shopper, suborder, line = simple_paid(price=price, quantity=quantity)
    if shipped:
        ship(suborder)
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: quantity}, kind=kind,
                            reason="damaged", idempotency_key=key())  # fmt: skip
    assert refund.status == Status.PENDING_REVIEW
    return refund, suborder.store.merchant.owner, [suborder.store_id]


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def test_merchant_approves_and_the_refund_is_paid():
    refund, merchant, stores = reviewed_request()
    review.merchant_approve(refund.pk, actor=merchant, store_ids=stores)
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED
    processing.pay(refund.pk)
    refund.refresh_from_db()
    assert refund.status == Status.REFUNDED
    assert refund.suborder.events.filter(kind="refund_approved", actor=merchant).exists()


def test_another_merchant_cannot_touch_the_request():
    refund, _merchant, _stores = reviewed_request()
    other = StoreFactory()
    with pytest.raises(DomainError) as excinfo:
        review.merchant_approve(refund.pk, actor=other.merchant.owner, store_ids=[other.pk])
    assert excinfo.value.status_code == 404
    refund.refresh_from_db()
    assert refund.status == Status.PENDING_REVIEW


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(reason):
    refund, merchant, stores = reviewed_request()
    with pytest.raises(DomainError) as excinfo:
        review.merchant_reject(refund.pk, actor=merchant, store_ids=stores, reason=reason)
    assert excinfo.value.code == "missing_reason"
    refund.refresh_from_db()
    assert refund.status == Status.PENDING_REVIEW


def test_unshipped_request_times_out_to_approved_after_24_hours():
    refund, _merchant, _stores = reviewed_request()
    assert review.apply_timeouts(now=later(hours=23)) == 0
    assert review.apply_timeouts(now=later(hours=24, minutes=1)) == 1
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED
    assert refund.suborder.events.filter(kind="refund_timeout").exists()


def test_shipped_request_times_out_after_36_hours_and_pauses_auto_receipt():
    refund, _merchant, _stores = reviewed_request(shipped=True)
    assert SubOrder.objects.get(pk=refund.suborder_id).refund_open
    assert review.apply_timeouts(now=later(hours=35)) == 0
    assert review.apply_timeouts(now=later(hours=36, minutes=1)) == 1
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED


def test_merchant_shipping_an_unshipped_refund_counts_as_a_rejection_at_the_time_out():
    refund, _merchant, _stores = reviewed_request()
    ship(refund.suborder)
    review.apply_timeouts(now=later(hours=25))
    refund.refresh_from_db()
    assert refund.status == Status.REJECTED and refund.deadline_at is not None


def test_rejected_request_closes_after_5_days_unless_changed_or_escalated():
    refund, merchant, stores = reviewed_request()
    review.merchant_reject(refund.pk, actor=merchant, store_ids=stores, reason="The item was fine")
    refund.refresh_from_db()
    assert refund.status == Status.REJECTED and refund.rejection_reason == "The item was fine"
    assert review.apply_timeouts(now=later(days=4, hours=23)) == 0
    assert review.apply_timeouts(now=later(days=5, minutes=1)) == 1
    refund.refresh_from_db()
    assert refund.status == Status.CLOSED
    assert not SubOrder.objects.get(pk=refund.suborder_id).refund_open


def test_shopper_changes_a_rejected_request_and_it_goes_back_to_the_merchant():
    refund, merchant, stores = reviewed_request()
    review.merchant_reject(refund.pk, actor=merchant, store_ids=stores, reason="Only one was broken")
    line = refund.lines.get().order_line
    changed = modify_request(refund.pk, shopper=refund.shopper, quantities={line.pk: 1}, kind=Kind.REFUND_ONLY,
                             reason="damaged")  # fmt: skip
    assert changed.status == Status.PENDING_REVIEW and changed.amount == D("300.00")


def test_escalation_and_operator_decides_for_the_shopper():
    refund, merchant, stores = reviewed_request()
    review.merchant_reject(refund.pk, actor=merchant, store_ids=stores, reason="No")
    with pytest.raises(DomainError):
        review.escalate(refund.pk, shopper=refund.shopper, note="")
    review.escalate(refund.pk, shopper=refund.shopper, note="It arrived broken, photos attached")
    refund.refresh_from_db()
    assert refund.status == Status.ESCALATED and refund.deadline_at is None
    operator = OperatorFactory()
    review.operator_decide(refund.pk, operator=operator, approve=True, note="Photos show damage")
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED
    assert refund.suborder.events.filter(kind="refund_decided", actor=operator).exists()


def test_operator_decides_for_the_merchant_closes_it():
    refund, merchant, stores = reviewed_request()
    review.merchant_reject(refund.pk, actor=merchant, store_ids=stores, reason="No")
    review.escalate(refund.pk, shopper=refund.shopper, note="Please")
    review.operator_decide(refund.pk, operator=OperatorFactory(), approve=False, note="Goods as described")
    refund.refresh_from_db()
    assert refund.status == Status.CLOSED


def test_return_and_refund_flow_with_receipt():
    refund, merchant, stores = reviewed_request(shipped=True, kind=Kind.RETURN_AND_REFUND)
    review.merchant_approve(refund.pk, actor=merchant, store_ids=stores)
    refund.refresh_from_db()
    assert refund.status == Status.AWAITING_RETURN
    with pytest.raises(DomainError):
        review.submit_return_shipment(refund.pk, shopper=refund.shopper, carrier="", tracking_number="1")
    review.submit_return_shipment(refund.pk, shopper=refund.shopper, carrier="SF", tracking_number="SF123")
    refund.refresh_from_db()
    assert refund.status == Status.RETURN_SHIPPED and refund.return_tracking_number == "SF123"
    review.merchant_confirm_return(refund.pk, actor=merchant, store_ids=stores)
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED
    processing.pay(refund.pk)
    refund.refresh_from_db()
    assert refund.status == Status.REFUNDED
    assert SubOrder.objects.get(pk=refund.suborder_id).state == SubOrder.State.CLOSED


def test_return_is_refunded_10_days_after_shipping_it_back():
    refund, merchant, stores = reviewed_request(shipped=True, kind=Kind.RETURN_AND_REFUND)
    review.merchant_approve(refund.pk, actor=merchant, store_ids=stores)
    review.submit_return_shipment(refund.pk, shopper=refund.shopper, carrier="SF", tracking_number="SF1")
    assert review.apply_timeouts(now=later(days=9)) == 0
    assert review.apply_timeouts(now=later(days=10, minutes=1)) == 1
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED


def test_withdrawal_reopens_the_quantities_and_resumes_auto_receipt():
    refund, _merchant, _stores = reviewed_request(shipped=True)
    withdraw_request(refund.pk, shopper=refund.shopper)
    refund.refresh_from_db()
    assert refund.status == Status.CLOSED
    assert not SubOrder.objects.get(pk=refund.suborder_id).refund_open
    line = refund.lines.get().order_line
    again = create_request(shopper=refund.shopper, suborder_id=refund.suborder_id, quantities={line.pk: 2},
                           reason="damaged", idempotency_key=key())  # fmt: skip
    assert again.amount == D("600.00")


def test_cannot_approve_twice():
    refund, merchant, stores = reviewed_request()
    review.merchant_approve(refund.pk, actor=merchant, store_ids=stores)
    with pytest.raises(DomainError) as excinfo:
        review.merchant_approve(refund.pk, actor=merchant, store_ids=stores)
    assert excinfo.value.status_code == 409
