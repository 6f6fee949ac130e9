"""Ledger invariants of logistics (collected by payments.checks from ``CHECKS`` below)."""

from __future__ import annotations

from decimal import Decimal

from payments.checks import Problem

ZERO = Decimal("0.00")


def late_shipments_posted() -> list[Problem]:
    """Every compensated late shipment has its one entry taking exactly that amount from the store's payable, and
    no compensation entry lacks its late shipment. (refunds checks the shopper-credit total with 运费险.)"""
    from logistics.models import LateShipment
    from payments.models import JournalEntry

    problems = []
    paid = LateShipment.objects.filter(compensation__gt=0)
    entries = {
        entry.idempotency_key: entry
        for entry in JournalEntry.objects.filter(kind="late_shipment_compensation").prefetch_related(
            "postings__account"
        )
    }
    for late in paid.order_by("pk"):
        entry = entries.pop(late.ledger_key, None)
        if entry is None:
            problems.append(Problem("late_shipments_posted", f"late shipment #{late.pk} was never posted"))
            continue
        from_store = sum((p.amount for p in entry.postings.all() if p.account.store_id == late.store_id), ZERO)
        if from_store != -late.compensation:
            problems.append(
                Problem(
                    "late_shipments_posted",
                    f"late shipment #{late.pk} took {-from_store} from the store, not {late.compensation}",
                    entry.pk,
                )  # fmt: skip
            )
    for key, entry in sorted(entries.items()):
        problems.append(Problem("late_shipments_posted", f"entry {key} has no late shipment", entry.pk))
    return problems


CHECKS = [late_shipments_posted]
