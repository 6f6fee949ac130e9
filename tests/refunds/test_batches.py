"""A worker pays waiting refunds in batches: one gateway call and one transaction for many, each still exactly once."""

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import SubOrder, SubOrderEvent
from payments.models import GatewayRefund, JournalEntry, Payment
from refunds.models import RefundRequest
from refunds.services import processing
from refunds.services.requests import create_request
from shops.models import StockLevel
from tests.refunds.helpers import key, simple_paid

pytestmark = pytest.mark.django_db
Status = RefundRequest.Status


def instant_refund(quantity_bought: int, quantity_refunded: int):
    shopper, suborder, line = simple_paid(price="80.00", quantity=quantity_bought)
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: quantity_refunded},
                            reason="not_wanted", idempotency_key=key())  # fmt: skip
    assert refund.status == Status.APPROVED
    return refund, suborder, line


def stock_of(line) -> int:
    return sum(StockLevel.objects.filter(sku_id=line.sku_id).values_list("quantity", flat=True))


def test_one_round_pays_every_waiting_refund_closing_only_the_fully_refunded_sub_orders():
    full = [instant_refund(1, 1) for _ in range(6)]
    partial = [instant_refund(3, 1) for _ in range(6)]
    stock_before = {line.pk: stock_of(line) for _refund, _suborder, line in full + partial}
    first = full[0][0]

    with CaptureQueriesContext(connection) as queries:
        assert processing.pay_batch(first.pk) == "refunded"

    for refund, suborder, line in full + partial:
        refund.refresh_from_db()
        suborder.refresh_from_db()
        assert refund.status == Status.REFUNDED and refund.gateway_reference
        assert GatewayRefund.objects.filter(idempotency_key=processing.gateway_key(refund.pk)).count() == 1
        assert JournalEntry.objects.filter(idempotency_key=processing.ledger_key(refund.pk)).count() == 1
        assert stock_of(line) == stock_before[line.pk] + 1
        assert not suborder.refund_open
        assert SubOrderEvent.objects.filter(suborder=suborder, kind="refund_paid").count() == 1
    assert {suborder.state for _r, suborder, _l in full} == {SubOrder.State.CLOSED}
    assert {suborder.state for _r, suborder, _l in partial} == {SubOrder.State.AWAITING_SHIPMENT}
    # Twelve refunds one by one take over 400 statements; the batch takes a fixed few.
    assert len(queries.captured_queries) < 60
    # Paying again changes nothing.
    assert processing.pay_batch(partial[-1][0].pk) == "already_refunded"
    assert GatewayRefund.objects.count() == 12


def test_a_refund_that_cannot_be_paid_fails_alone_and_is_kept_for_retry():
    good, _suborder, _line = instant_refund(2, 1)
    bad, bad_suborder, _line = instant_refund(2, 1)
    captured = Payment.objects.filter(order_id=bad_suborder.order_id)
    captured.update(status=Payment.Status.FAILED)  # as if the gateway had lost it

    assert processing.pay_batch(good.pk) == "refunded"
    captured.update(status=Payment.Status.SUCCEEDED)

    bad.refresh_from_db()
    assert bad.status == Status.APPROVED and bad.attempts == 1 and "no captured payment" in bad.last_error
    assert not GatewayRefund.objects.filter(idempotency_key=processing.gateway_key(bad.pk)).exists()
    # A refund that failed before is no longer swept into other batches: it is retried on its own.
    another, _suborder, _line = instant_refund(2, 1)
    assert processing.claim(another.pk, batch_size=10) == [another.pk]
    processing.unclaim([another.pk])


def test_a_refund_another_worker_is_paying_is_left_to_it():
    refund, _suborder, _line = instant_refund(2, 1)
    settings_dict = connection.settings_dict
    other_worker = psycopg2.connect(
        dbname=settings_dict["NAME"], user=settings_dict["USER"], password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"], port=settings_dict["PORT"],
    )  # fmt: skip
    try:
        with other_worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s + %s)", [processing.CLAIM_LOCKS, refund.pk])
        assert processing.pay_batch(refund.pk) == "claimed"
        assert RefundRequest.objects.get(pk=refund.pk).status == Status.APPROVED
    finally:
        other_worker.close()  # a worker that dies lets go of its claims at once
    assert processing.pay_batch(refund.pk) == "refunded"
