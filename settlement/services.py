"""Settlement of received sub-orders to stores, and payouts (DESIGN.md "Money").

When a sub-order is received (and no refund is open on it), one journal entry moves:

    escrow              -paid        what the shopper paid, less refunds already paid out of escrow
    promotion expense   -subsidy     platform-funded discounts on the units still sold
    commission revenue  +commission  rate (per vertical and brand) x (paid + subsidy), per line
    adjuster accounts   +adjustments e.g. a livestream creator's commission (signals.settlement_adjustments)
    store payable       +rest

then the sub-order is marked completed. Exactly once per sub-order: the Settlement row is unique per sub-order and the
ledger entry is keyed ``settlement:<sub-order id>``; everything runs under the sub-order's row lock, the same lock
refunds take, so a refund is paid either before (out of escrow) or after (clawed back from the store's payable).

Contracts: ``settle(suborder_id)``, ``is_settled(suborder_id)``, ``commission_rate(...)``, ``run_payouts()``; higher
apps add adjustments by answering ``settlement.signals.settlement_adjustments``.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from marketplace.api import DomainError
from marketplace.money import CENT, ZERO, to_money
from orders import selectors as orders_selectors
from orders import services as orders
from orders.events import why
from orders.lock_objects import locked_suborder
from orders.models import SubOrder
from payments import ledger
from payments.models import Account
from refunds.models import RefundRequest
from settlement.lock_objects import locked_store_payable
from settlement.models import CommissionRate, Payout, Settlement, SettlementRun
from settlement.signals import settlement_adjustments

log = logging.getLogger(__name__)


def default_rate() -> Decimal:
    return Decimal(str(getattr(settings, "DEFAULT_COMMISSION_RATE", "0.05")))


def commission_rate(vertical_id: int | None, brand: str, rates: list[CommissionRate] | None = None) -> Decimal:
    rates = rates if rates is not None else list(CommissionRate.objects.all())
    by_scope = {(rate.vertical_id, rate.brand): rate.rate for rate in rates}
    for scope in ((vertical_id, brand), (vertical_id, ""), (None, brand), (None, "")):
        if scope in by_scope:
            return by_scope[scope]
    return default_rate()


def is_settled(suborder_id: int) -> bool:
    return Settlement.objects.filter(suborder_id=suborder_id).exists()


@dataclass(frozen=True)
class Breakdown:
    paid: Decimal
    subsidy: Decimal
    commission: Decimal
    adjustments: list[tuple[Account, Decimal]]

    @property
    def adjustments_total(self) -> Decimal:
        return sum((amount for _account, amount in self.adjustments), ZERO)

    @property
    def store_amount(self) -> Decimal:
        return self.paid + self.subsidy - self.commission - self.adjustments_total


def _refunded_amount(suborder) -> Decimal:
    """What was refunded out of escrow before settlement (the refunds app's rows; read-only here), counting a
    shipping fee returned with the last units of an unshipped sub-order: the store is never settled shipping the
    shopper got back."""
    refunded = RefundRequest.objects.filter(suborder=suborder, status=RefundRequest.Status.REFUNDED)
    return refunded.aggregate(t=Sum("amount"))["t"] or ZERO


def breakdown(suborder) -> Breakdown:
    """What settling `suborder` moves. Platform subsidy and commission count only units not refunded."""
    refunded_units, refunded_amount = orders_selectors.refunded_units([suborder.pk]), _refunded_amount(suborder)
    rates = list(CommissionRate.objects.all())
    subsidy = commission = ZERO
    for line in suborder.lines.select_related("sku__product__category").prefetch_related("discounts"):
        kept = line.quantity - refunded_units.get(line.pk, 0)
        if kept <= 0:
            continue
        share = Decimal(kept) / Decimal(line.quantity)
        line_subsidy = sum((d.platform_funded for d in line.discounts.all()), ZERO)
        line_subsidy = (line_subsidy * share).quantize(CENT, rounding=ROUND_HALF_UP)
        line_paid = (line.payable * share).quantize(CENT, rounding=ROUND_HALF_UP)
        vertical = line.sku.product.category.vertical_id or line.sku.product.category_id
        rate = commission_rate(vertical, suborder.store.brand, rates)
        commission += ((line_paid + line_subsidy) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        subsidy += line_subsidy
    paid = max(suborder.payable - refunded_amount, ZERO)
    commission = min(commission, paid + subsidy)
    adjustments = []
    for _receiver, answer in settlement_adjustments.send(sender=SubOrder, suborder=suborder):
        for account, amount in answer or []:
            amount = to_money(amount)
            if amount < 0:
                raise DomainError("a settlement adjustment cannot be negative", code="bad_adjustment")
            if amount:
                adjustments.append((account, amount))
    return Breakdown(paid=paid, subsidy=subsidy, commission=commission, adjustments=adjustments)


def eligible():
    """Received sub-orders with no open refund and no settlement yet."""
    return SubOrder.objects.filter(state=SubOrder.State.RECEIVED, refund_open=False, settlement__isnull=True)


def settle(suborder_id: int, *, run: SettlementRun | None = None, actor=None) -> Settlement | None:
    """Settle one received sub-order; returns its Settlement (the existing one on a retry) or None if not due."""
    with transaction.atomic():
        suborder = locked_suborder(suborder_id)
        existing = Settlement.objects.filter(suborder_id=suborder.pk).first()
        if existing is not None:
            return existing
        if suborder.state != SubOrder.State.RECEIVED or suborder.refund_open:
            return None
        parts = breakdown(suborder)
        postings = [
            (ledger.account(ledger.ESCROW), -parts.paid),
            (ledger.account(ledger.PROMOTION_EXPENSE), -parts.subsidy),
            (ledger.account(ledger.COMMISSION_REVENUE), parts.commission),
            (ledger.store_payable(suborder.store_id), parts.store_amount),
            *parts.adjustments,
        ]
        if any(amount for _account, amount in postings):
            entry = ledger.post(
                "settlement",
                f"Settlement of {suborder.number}",
                postings,
                idempotency_key=f"settlement:{suborder.pk}",
                reference=suborder.number,
            )
        else:
            entry = _zero_entry(suborder)
        settlement = Settlement.objects.create(
            suborder=suborder,
            store_id=suborder.store_id,
            paid_amount=parts.paid,
            platform_subsidy=parts.subsidy,
            commission=parts.commission,
            adjustments=[{"account": account.code, "amount": f"{amount:.2f}"} for account, amount in parts.adjustments],
            adjustments_total=parts.adjustments_total,
            store_amount=parts.store_amount,
            entry=entry,
            run=run,
        )
        orders.record_event(
            suborder, "settled", actor,
            why("settled_to_store", amount=f"{parts.store_amount:.2f}"),
            {"paid": f"{parts.paid:.2f}", "subsidy": f"{parts.subsidy:.2f}", "commission": f"{parts.commission:.2f}",
             "store_amount": f"{parts.store_amount:.2f}"},
        )  # fmt: skip
        orders.mark_completed(suborder, actor, why("settled"))
        return settlement


def _zero_entry(suborder):
    """A fully discounted, unsubsidised sub-order moves no money; a nominal entry still records the settlement."""
    escrow = ledger.account(ledger.ESCROW)
    return ledger.post(
        "settlement",
        f"Settlement of {suborder.number} (nothing to move)",
        [(escrow, CENT), (escrow, -CENT)],
        idempotency_key=f"settlement:{suborder.pk}",
        reference=suborder.number,
    )


def settle_due(*, run: SettlementRun | None = None, limit: int = 1000, progress=None) -> tuple[int, int, int]:
    """Settle every eligible sub-order; returns (settled, skipped, failed). Safe to run concurrently."""
    ids = list(eligible().order_by("received_at", "pk").values_list("pk", flat=True)[:limit])
    settled = skipped = failed = 0
    if progress:
        progress(total=len(ids), settled=0, skipped=0, failed=0)
    for index, suborder_id in enumerate(ids, start=1):
        try:
            result = settle(suborder_id, run=run)
        except Exception:
            log.exception("settlement of sub-order %s failed", suborder_id)
            failed += 1
        else:
            if result is not None and result.run_id == (run.pk if run else None):
                settled += 1
            else:
                skipped += 1
        if progress and (index % 10 == 0 or index == len(ids)):
            progress(total=len(ids), settled=settled, skipped=skipped, failed=failed)
    return settled, skipped, failed


# --- commission rates ---------------------------------------------------------------------------------------------


def set_commission_rate(vertical, brand: str, rate: Decimal, actor) -> CommissionRate:
    """Set the rate of a (vertical, brand) scope (blank = any), replacing the scope's existing rate."""
    commission, _created = CommissionRate.objects.update_or_create(
        vertical=vertical, brand=brand or "", defaults={"rate": rate, "updated_by": actor}
    )
    return commission


# --- manual runs --------------------------------------------------------------------------------------------------


def start_run(actor) -> SettlementRun:
    run = SettlementRun.objects.create(started_by=actor, total=eligible().count())
    from settlement.tasks import run_settlement

    transaction.on_commit(lambda: run_settlement.delay(run.pk))
    return run


def execute_run(run_id: int) -> SettlementRun:
    run = SettlementRun.objects.get(pk=run_id)
    if run.status in (SettlementRun.Status.DONE, SettlementRun.Status.FAILED):
        return run
    SettlementRun.objects.filter(pk=run_id).update(status=SettlementRun.Status.RUNNING, started_at=timezone.now())

    def progress(total, settled, skipped, failed):
        SettlementRun.objects.filter(pk=run_id).update(total=total, done=settled, skipped=skipped, failed=failed)

    try:
        settle_due(run=run, progress=progress)
    except Exception as exc:
        SettlementRun.objects.filter(pk=run_id).update(
            status=SettlementRun.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    amount = Settlement.objects.filter(run_id=run_id).aggregate(t=Sum("store_amount"))["t"] or ZERO
    SettlementRun.objects.filter(pk=run_id).update(
        status=SettlementRun.Status.DONE, amount=amount, finished_at=timezone.now()
    )
    return SettlementRun.objects.get(pk=run_id)


# --- payouts ------------------------------------------------------------------------------------------------------


def payout_period(now: datetime.datetime | None = None) -> str:
    return timezone.localdate(now or timezone.now()).isoformat()


def pay_out_store(store_id: int, period: str) -> Payout | None:
    """Move the store's whole positive payable out, once per period."""
    with transaction.atomic():
        account = locked_store_payable(store_id)
        existing = Payout.objects.filter(store_id=store_id, period=period).first()
        if existing is not None:
            return existing
        amount = ledger.balance(account)
        if amount <= 0:
            return None
        entry = ledger.post(
            "payout",
            f"Payout to store #{store_id} for {period}",
            [(account, -amount), (ledger.account(ledger.PAYOUTS), amount)],
            idempotency_key=f"payout:{store_id}:{period}",
            reference=period,
        )
        return Payout.objects.create(store_id=store_id, period=period, amount=amount, entry=entry)


def run_payouts(period: str | None = None) -> list[Payout]:
    period = period or payout_period()
    store_ids = Account.objects.filter(kind=Account.Kind.STORE_PAYABLE).values_list("store_id", flat=True)
    payouts = []
    for store_id in list(store_ids):
        payout = pay_out_store(store_id, period)
        if payout is not None:
            payouts.append(payout)
    return payouts
