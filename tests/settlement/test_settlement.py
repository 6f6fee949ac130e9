"""Settlement of received sub-orders, commission, platform subsidies, clawbacks, payouts, the adjustments signal."""

import time
from decimal import Decimal

import pytest

from orders import services as order_services
from orders.models import OrderLineDiscount, SubOrder
from payments import ledger
from refunds.models import RefundRequest
from refunds.services import processing, review
from refunds.services.requests import create_request
from settlement import services as settlement
from settlement.models import CommissionRate, Payout, Settlement, SettlementRun
from settlement.signals import settlement_adjustments
from tests.refunds.helpers import D, assert_ledger_clean, key, ship, simple_paid
from tests.shops.factories import TmallStoreFactory

pytestmark = pytest.mark.django_db


def received(price="100.00", quantity=2, store=None, subsidy=None):
    shopper, suborder, line = simple_paid(price=price, quantity=quantity, store=store)
    if subsidy:
        OrderLineDiscount.objects.create(line=line, lane="platform", source_kind="campaign", source_id=7,
                                         label="Double 11", amount=subsidy, platform_funded=subsidy)  # fmt: skip
    ship(suborder)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    suborder.refresh_from_db()
    return shopper, suborder, line


def test_received_suborder_settles_once_with_commission_and_subsidy():
    CommissionRate.objects.create(rate=D("0.0500"))
    _shopper, suborder, _line = received(price="100.00", quantity=2, subsidy=D("20.00"))
    escrow = ledger.balance(ledger.ESCROW)
    first = settlement.settle(suborder.pk)
    again = settlement.settle(suborder.pk)
    assert first.pk == again.pk and Settlement.objects.count() == 1
    assert (first.paid_amount, first.platform_subsidy) == (D("200.00"), D("20.00"))
    assert first.commission == D("11.00")  # 5% of (200.00 paid + 20.00 subsidy)
    assert first.store_amount == D("209.00")
    assert ledger.balance(ledger.store_payable(suborder.store_id)) == D("209.00")
    assert ledger.balance(ledger.ESCROW) == escrow - D("200.00")
    assert ledger.balance(ledger.COMMISSION_REVENUE) == D("11.00")
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.COMPLETED
    assert suborder.events.filter(kind="settled").count() == 1


def test_not_received_or_refund_open_is_not_settled():
    shopper, suborder, line = simple_paid()
    assert settlement.settle(suborder.pk) is None
    ship(suborder)
    create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                   idempotency_key=key())  # fmt: skip
    suborder.refresh_from_db()
    assert suborder.refund_open
    assert not settlement.eligible().filter(pk=suborder.pk).exists()


def test_most_specific_commission_rate_wins():
    store = TmallStoreFactory()
    _shopper, suborder, line = received(price="100.00", quantity=1, store=store)
    vertical = line.sku.product.category.vertical_id
    CommissionRate.objects.create(rate=D("0.0100"))
    CommissionRate.objects.create(brand="TMALL", rate=D("0.0200"))
    CommissionRate.objects.create(vertical_id=vertical, rate=D("0.0300"))
    CommissionRate.objects.create(vertical_id=vertical, brand="TMALL", rate=D("0.0400"))
    assert settlement.commission_rate(vertical, "TMALL") == D("0.0400")
    assert settlement.commission_rate(vertical, "TAOBAO") == D("0.0300")
    assert settlement.commission_rate(None, "TMALL") == D("0.0200")
    assert settlement.commission_rate(None, "TAOBAO") == D("0.0100")
    assert settlement.settle(suborder.pk).commission == D("4.00")


def test_default_rate_without_rows(settings):
    settings.DEFAULT_COMMISSION_RATE = "0.06"
    _shopper, suborder, _line = received(price="50.00", quantity=1)
    assert settlement.settle(suborder.pk).commission == D("3.00")


def test_refund_before_settlement_comes_from_escrow_and_reduces_what_is_settled():
    shopper, suborder, line = simple_paid(price="100.00", quantity=2)
    OrderLineDiscount.objects.create(line=line, lane="platform", source_kind="campaign", source_id=1, label="c",
                                     amount=D("10.00"), platform_funded=D("10.00"))  # fmt: skip
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="not_wanted",
                            idempotency_key=key())  # fmt: skip
    processing.pay(refund.pk)
    ship(suborder)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    result = settlement.settle(suborder.pk)
    assert result.paid_amount == D("100.00") and result.platform_subsidy == D("5.00")


def test_refund_after_settlement_is_clawed_back_from_the_store_payable():
    shopper, suborder, line = received(price="100.00", quantity=2)
    CommissionRate.objects.create(rate=D("0"))
    settled = settlement.settle(suborder.pk)
    assert settled.store_amount == D("200.00")
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                            kind=RefundRequest.Kind.REFUND_ONLY, idempotency_key=key())  # fmt: skip
    review.merchant_approve(refund.pk, actor=suborder.store.merchant.owner, store_ids=[suborder.store_id])
    escrow = ledger.balance(ledger.ESCROW)
    processing.pay(refund.pk)
    refund.refresh_from_db()
    assert refund.status == RefundRequest.Status.REFUNDED and refund.clawed_back == D("100.00")
    assert ledger.balance(ledger.store_payable(suborder.store_id)) == D("100.00")
    assert ledger.balance(ledger.ESCROW) == escrow


def test_payouts_move_positive_payables_out_once_per_period():
    _shopper, suborder, _line = received(price="100.00", quantity=1)
    settled = settlement.settle(suborder.pk)
    payouts = settlement.run_payouts(period="2026-11-23")
    assert [p.amount for p in payouts] == [settled.store_amount]
    assert settlement.run_payouts(period="2026-11-23")[0].pk == payouts[0].pk
    assert Payout.objects.count() == 1
    assert ledger.balance(ledger.store_payable(suborder.store_id)) == 0
    assert ledger.balance(ledger.PAYOUTS) == settled.store_amount


def test_adjusters_take_their_share_from_the_store():
    creator_account = None

    def creator_commission(sender, suborder, **kwargs):
        nonlocal creator_account
        creator_account = ledger.creator_payable(suborder.order.shopper)
        return [(creator_account, Decimal("7.50"))]

    settlement_adjustments.connect(creator_commission, dispatch_uid="test.creator_commission")
    try:
        CommissionRate.objects.create(rate=D("0"))
        _shopper, suborder, _line = received(price="100.00", quantity=1)
        result = settlement.settle(suborder.pk)
    finally:
        settlement_adjustments.disconnect(dispatch_uid="test.creator_commission")
    assert result.adjustments_total == D("7.50") and result.store_amount == D("92.50")
    assert ledger.balance(creator_account) == D("7.50")


def test_manual_run_settles_everything_due_and_reports_progress():
    for _ in range(3):
        received(price="30.00", quantity=1)
    run = settlement.SettlementRun.objects.create(total=3)
    result = settlement.execute_run(run.pk)
    assert result.status == "done" and result.done == 3 and result.total == 3 and result.percent == 100
    assert result.amount == sum(Settlement.objects.values_list("store_amount", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_worker_settles_right_after_receipt(celery_worker):
    shopper, suborder, _line = simple_paid(price="60.00", quantity=1)
    ship(suborder)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not Settlement.objects.filter(suborder=suborder).exists():
        time.sleep(0.1)
    assert Settlement.objects.filter(suborder=suborder).count() == 1
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.COMPLETED
    assert_ledger_clean()


def test_full_refund_after_settlement_keeps_the_suborder_completed():
    shopper, suborder, line = received(price="40.00", quantity=1)
    settlement.settle(suborder.pk)
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                            idempotency_key=key())  # fmt: skip
    review.merchant_approve(refund.pk, actor=suborder.store.merchant.owner, store_ids=[suborder.store_id])
    assert processing.pay(refund.pk) == "refunded"
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.COMPLETED and not suborder.refund_open
    assert suborder.events.filter(kind="fully_refunded").exists()


def test_the_ledger_checks_catch_money_moved_outside_settlement():
    from django.db import transaction

    from payments import checks

    _shopper, suborder, _line = received(price="20.00", quantity=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.post("settlement", "stray", [(ledger.account(ledger.ESCROW), D("-5.00")),
                    (ledger.store_payable(suborder.store_id), D("5.00"))], idempotency_key="stray")  # fmt: skip
        names = {problem.check for problem in checks.run_all()}
        assert {"escrow_is_paid_minus_settled_minus_refunded", "store_payables_match"} <= names
        raise RuntimeError("roll the stray entry back")


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_operator_run_by_hand_is_done_by_a_worker_with_progress(celery_worker, client):
    from django.urls import reverse

    from tests.accounts.factories import PASSWORD, OperatorFactory

    suborders = []
    for _ in range(3):
        shopper, suborder, _line = simple_paid(price="30.00", quantity=1)
        ship(suborder)
        # Received without the receiver's task racing the run: mark received directly (no transition, no signal).
        SubOrder.objects.filter(pk=suborder.pk).update(state=SubOrder.State.RECEIVED)
        suborders.append(suborder)
    operator = OperatorFactory()
    assert client.login(username=operator.username, password=PASSWORD)
    response = client.post(reverse("settlement:ops_settlement_start"))
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and SettlementRun.objects.get(pk=run_id).status != "done":
        time.sleep(0.1)
    run = SettlementRun.objects.get(pk=run_id)
    assert run.status == "done" and run.done == 3 and run.percent == 100
    progress = client.get(reverse("settlement:ops_settlement_run", args=[run_id]), HTTP_HX_REQUEST="true")
    assert b'data-status="done"' in progress.content and b"hx-trigger" not in progress.content
    assert Settlement.objects.filter(suborder__in=suborders).count() == 3
    assert_ledger_clean()
