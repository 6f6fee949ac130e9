"""Exactly once with real workers: duplicate tasks, injected failures, a worker killed half-way, lost messages."""

import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from payments.models import GatewayRefund, JournalEntry
from refunds.models import RefundRequest
from refunds.services import processing, review
from refunds.services.requests import create_request
from refunds.tasks import pay_refund
from tests.refunds.helpers import D, assert_ledger_clean, key, simple_paid

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
Status = RefundRequest.Status


def wait_for(predicate, timeout=20.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def status_of(refund_id):
    return RefundRequest.objects.values_list("status", flat=True).get(pk=refund_id)


def pending_refund(price="300.00"):
    """A Taobao request over 500.00: it waits for the merchant, so nothing is queued yet."""
    shopper, suborder, line = simple_paid(price=price, quantity=2)
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 2},
                            reason="not_wanted", idempotency_key=key())  # fmt: skip
    assert refund.status == Status.PENDING_REVIEW
    return refund


def approve_without_message(refund):
    """An approved row whose queue message was lost (broker restart): only the sweep can find it."""
    RefundRequest.objects.filter(pk=refund.pk).update(status=Status.APPROVED, approved_at=timezone.now())


def inject(point, refund_id, value):
    cache.set(processing.FAULT_KEY.format(point=point, refund_id=refund_id), value, 120)


def assert_paid_once(refund):
    refund.refresh_from_db()
    assert refund.status == Status.REFUNDED
    assert GatewayRefund.objects.filter(idempotency_key=processing.gateway_key(refund.pk)).count() == 1
    assert GatewayRefund.objects.filter(payment__order=refund.suborder.order).count() == 1
    assert JournalEntry.objects.filter(idempotency_key=processing.ledger_key(refund.pk)).count() == 1
    assert_ledger_clean()


def test_instant_refund_is_paid_by_the_worker_within_seconds(celery_worker):
    shopper, suborder, line = simple_paid(price="100.00", quantity=1)
    started = time.monotonic()
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1},
                            reason="not_wanted", idempotency_key=key())  # fmt: skip
    assert refund.status == Status.APPROVED
    assert wait_for(lambda: status_of(refund.pk) == Status.REFUNDED, timeout=10)
    assert time.monotonic() - started < 5
    assert_paid_once(refund)
    suborder.refresh_from_db()
    assert suborder.state == suborder.State.CLOSED


def test_the_same_task_delivered_many_times_pays_once(celery_worker):
    refund = pending_refund()
    approve_without_message(refund)
    for _ in range(4):
        pay_refund.delay(refund.pk)
    processing.sweep(older_than_seconds=0)
    assert wait_for(lambda: status_of(refund.pk) == Status.REFUNDED)
    time.sleep(1.0)  # let the duplicates finish too
    assert_paid_once(refund)
    assert refund.amount == D("600.00")


def test_failure_after_the_gateway_and_before_the_ledger_is_retried_to_exactly_one_refund(celery_worker):
    refund = pending_refund()
    inject("after_gateway", refund.pk, "fail")
    review.merchant_approve(refund.pk, actor=refund.store.merchant.owner, store_ids=[refund.store_id])
    assert wait_for(lambda: status_of(refund.pk) == Status.REFUNDED)
    refund.refresh_from_db()
    assert refund.attempts == 1  # the failed attempt was recorded, then the retry paid it
    assert_paid_once(refund)


def test_failure_after_the_ledger_post_rolls_back_and_retries(celery_worker):
    refund = pending_refund()
    inject("after_ledger", refund.pk, "fail")
    review.merchant_approve(refund.pk, actor=refund.store.merchant.owner, store_ids=[refund.store_id])
    assert wait_for(lambda: status_of(refund.pk) == Status.REFUNDED)
    assert_paid_once(refund)


def test_worker_killed_half_way_then_the_sweep_finishes_it(celery_worker, worker_factory, monkeypatch):
    import tests.conftest as harness

    # A worker on a queue of its own, so the test knows which process holds the task when it kills it.
    kill_queue = f"{harness.TEST_QUEUE}-kill"
    monkeypatch.setattr(harness, "TEST_QUEUE", kill_queue)
    victim = worker_factory("victim")
    monkeypatch.undo()
    refund = pending_refund()
    approve_without_message(refund)
    inject("after_gateway", refund.pk, "sleep:60")
    pay_refund.apply_async(args=[refund.pk], queue=kill_queue)
    assert wait_for(lambda: GatewayRefund.objects.filter(idempotency_key=processing.gateway_key(refund.pk)).exists())
    victim.kill()
    assert status_of(refund.pk) == Status.APPROVED  # the gateway paid, the ledger did not: not lost, not finished
    assert processing.sweep(older_than_seconds=0) >= 1
    assert wait_for(lambda: status_of(refund.pk) == Status.REFUNDED)
    assert_paid_once(refund)
