"""Payments' ledger invariants: entries balance, nothing orphaned, money only moved, escrow never negative, the
ledger agrees with the gateway. Collected with every other app's ``ledger_checks.CHECKS`` by ``payments.checks``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from payments.checks import Problem


def entries_balance() -> list[Problem]:
    from payments.models import JournalEntry

    bad = (
        JournalEntry.objects.annotate(total=Sum("postings__amount"), lines=Count("postings"))
        .filter(~Q(total=0) | Q(lines__lt=2) | Q(total__isnull=True))
        .order_by("pk")
    )
    return [
        Problem("entries_balance", f"entry #{e.pk} ({e.kind}) sums to {e.total} over {e.lines} postings", e.pk)
        for e in bad
    ]


def no_orphan_postings() -> list[Problem]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.entry_id FROM payments_posting p "
            "LEFT JOIN payments_journalentry e ON e.id = p.entry_id "
            "LEFT JOIN payments_account a ON a.id = p.account_id WHERE e.id IS NULL OR a.id IS NULL"
        )
        rows = cursor.fetchall()
    return [Problem("no_orphan_postings", f"posting #{pk} has no entry or account", entry) for pk, entry in rows]


def trial_balance_is_zero() -> list[Problem]:
    """Money is only moved, never created: all accounts together sum to zero."""
    from payments.models import Posting

    total = Posting.objects.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return [] if total == 0 else [Problem("trial_balance_is_zero", f"all accounts sum to {total}, not 0")]


def escrow_never_negative() -> list[Problem]:
    from payments import ledger
    from payments.models import Account

    if not Account.objects.filter(code=ledger.ESCROW).exists():
        return []
    total = ledger.balance(ledger.ESCROW)
    return [] if total >= 0 else [Problem("escrow_never_negative", f"escrow holds {total}")]


def payments_match_gateway() -> list[Problem]:
    """What the ledger says came in from shoppers equals what the gateway says was captured, payment by payment;
    what went back equals the gateway's refunds."""
    from payments.models import GatewayRefund, JournalEntry, Payment

    problems = []
    captured = Payment.objects.filter(Q(status=Payment.Status.SUCCEEDED) | Q(status=Payment.Status.REFUNDED))
    for payment in captured.order_by("pk"):
        entry = JournalEntry.objects.filter(idempotency_key=f"payment:{payment.reference}").first()
        if entry is None:
            problems.append(Problem("payments_match_gateway", f"payment {payment.reference} was never posted"))
            continue
        into_escrow = entry.postings.filter(account__code="escrow").aggregate(t=Sum("amount"))["t"] or 0
        if into_escrow != payment.amount:
            problems.append(
                Problem(
                    "payments_match_gateway",
                    f"payment {payment.reference} of {payment.amount} put {into_escrow} into escrow",
                    entry.pk,
                )
            )
    posted = JournalEntry.objects.filter(kind="payment").exclude(
        reference__in=captured.values_list("reference", flat=True)
    )
    problems += [
        Problem("payments_match_gateway", f"entry #{e.pk} posts a payment the gateway never captured", e.pk)
        for e in posted
    ]
    out_to_shoppers = JournalEntry.objects.filter(
        postings__account__code="shopper_payments", postings__amount__gt=0
    ).aggregate(t=Sum("postings__amount"))["t"] or Decimal("0")
    refunded = GatewayRefund.objects.aggregate(t=Sum("amount"))["t"] or Decimal("0")
    if out_to_shoppers != refunded:
        problems.append(
            Problem(
                "payments_match_gateway", f"ledger returned {out_to_shoppers} to shoppers, gateway refunded {refunded}"
            )
        )
    return problems


def escrow_equals_flows() -> list[Problem]:
    """escrow = captured payments (gateway) - gateway refunds + net of everything else that moved escrow
    (settlement to payables, commission, platform-funded discounts)."""
    from payments import ledger
    from payments.models import GatewayRefund, Payment, Posting

    escrow = Posting.objects.filter(account__code=ledger.ESCROW)
    balance = escrow.aggregate(t=Sum("amount"))["t"] or Decimal("0")
    captured = Payment.objects.filter(status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED])
    payments_in = captured.aggregate(t=Sum("amount"))["t"] or Decimal("0")
    refunded = GatewayRefund.objects.aggregate(t=Sum("amount"))["t"] or Decimal("0")
    shopper_entries = Posting.objects.filter(account__code=ledger.SHOPPER_PAYMENTS).values("entry_id")
    other = escrow.exclude(entry_id__in=shopper_entries).aggregate(t=Sum("amount"))["t"] or Decimal("0")
    expected = payments_in - refunded + other
    if balance == expected:
        return []
    return [
        Problem(
            "escrow_equals_flows",
            f"escrow holds {balance} but payments {payments_in} - refunds {refunded} + settlements {other} = {expected}",
        )
    ]


CHECKS = [
    entries_balance,
    no_orphan_postings,
    trial_balance_is_zero,
    escrow_never_negative,
    payments_match_gateway,
    escrow_equals_flows,
]
