"""Settlement invariants for ``manage.py check_ledger`` (collected by payments.checks from ``CHECKS`` below)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from payments import ledger
from payments.checks import Problem
from payments.models import Account, GatewayRefund, JournalEntry, Payment, Posting
from refunds.models import RefundRequest
from settlement.models import Payout, Settlement

ZERO = Decimal("0.00")


def _sum(queryset, field="amount") -> Decimal:
    return queryset.aggregate(t=Sum(field))["t"] or ZERO


def escrow_is_paid_minus_settled_minus_refunded() -> list[Problem]:
    """escrow = captured payments - settled - refunded (refund requests paid from escrow and gateway refunds of
    payments the platform could not accept)."""

    balance = _sum(Posting.objects.filter(account__code=ledger.ESCROW))
    paid = _sum(Payment.objects.filter(status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED]))
    settled = _sum(Settlement.objects.all(), "paid_amount")
    refunds_from_escrow = _sum(RefundRequest.objects.filter(status=RefundRequest.Status.REFUNDED, clawed_back=0))
    other_gateway_refunds = _sum(GatewayRefund.objects.exclude(idempotency_key__startswith="refund-request:"))
    expected = paid - settled - refunds_from_escrow - other_gateway_refunds
    if balance == expected:
        return []
    return [
        Problem(
            "escrow_is_paid_minus_settled_minus_refunded",
            f"escrow holds {balance}; paid {paid} - settled {settled} - refunded {refunds_from_escrow} "
            f"- other gateway refunds {other_gateway_refunds} = {expected}",
        )
    ]


def store_payables_match() -> list[Problem]:
    """Each store's payable = settled to it - paid out - clawed back by refunds after settlement - late-shipment
    compensation it paid shoppers (logistics)."""
    from logistics.models import LateShipment

    problems = []
    for account in Account.objects.filter(kind=Account.Kind.STORE_PAYABLE).order_by("pk"):
        balance = _sum(Posting.objects.filter(account=account))
        settled = _sum(Settlement.objects.filter(store_id=account.store_id), "store_amount")
        paid_out = _sum(Payout.objects.filter(store_id=account.store_id))
        clawed = _sum(
            RefundRequest.objects.filter(store_id=account.store_id, status=RefundRequest.Status.REFUNDED),
            "clawed_back",
        )
        compensated = _sum(LateShipment.objects.filter(store_id=account.store_id), "compensation")
        expected = settled - paid_out - clawed - compensated
        if balance != expected:
            problems.append(
                Problem(
                    "store_payables_match",
                    f"store #{account.store_id} payable holds {balance}; settled {settled} - paid out {paid_out} "
                    f"- clawed back {clawed} - late-shipment compensation {compensated} = {expected}",
                )
            )
    return problems


def settlements_posted() -> list[Problem]:
    """Every settlement's entry moves exactly what the row says into the store's payable; every refund request
    marked refunded has its ledger entry, and no refund entry lacks its request."""

    problems = []
    for settlement in Settlement.objects.select_related("entry").order_by("pk"):
        into_store = _sum(
            settlement.entry.postings.filter(account__kind="store_payable", account__store_id=settlement.store_id)
        )
        if into_store != settlement.store_amount:
            problems.append(
                Problem(
                    "settlements_posted",
                    f"settlement #{settlement.pk} posted {into_store} to the store, not {settlement.store_amount}",
                    settlement.entry_id,
                )  # fmt: skip
            )
    refunded = RefundRequest.objects.filter(status=RefundRequest.Status.REFUNDED, amount__gt=0)
    for kind, prefix, requests in (
        ("refund", "refund", refunded),
        ("refund_clawback", "refund_clawback", refunded.filter(clawed_back__gt=0)),
    ):
        keys = set(JournalEntry.objects.filter(kind=kind).values_list("idempotency_key", flat=True))
        expected = {f"{prefix}:{pk}" for pk in requests.values_list("pk", flat=True)}
        for key in sorted(expected - keys):
            problems.append(Problem("refunds_posted", f"refund request {key} is marked refunded but has no entry"))
        for key in sorted(keys - expected):
            problems.append(Problem("refunds_posted", f"ledger entry {key} has no refunded request"))
    return problems


CHECKS = [escrow_is_paid_minus_settled_minus_refunded, store_payables_match, settlements_posted]
