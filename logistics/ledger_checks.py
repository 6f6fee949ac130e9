"""Ledger invariants of logistics (registered into payments.checks at start-up)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from payments.checks import Problem

ZERO = Decimal("0.00")


def late_shipments_posted() -> list[Problem]:
    """Every compensated late shipment has its one entry taking exactly that amount from the store's payable,
    no compensation entry lacks its late shipment, and shopper credits hold the sum of compensations."""
    from logistics.models import LateShipment
    from logistics.services.late import SHOPPER_CREDITS
    from payments.models import JournalEntry, Posting

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
    credits = Posting.objects.filter(account__code=SHOPPER_CREDITS).aggregate(t=Sum("amount"))["t"] or ZERO
    owed = paid.aggregate(t=Sum("compensation"))["t"] or ZERO
    if credits != owed:
        problems.append(Problem("late_shipments_posted", f"shopper credits hold {credits}, compensations {owed}"))
    return problems


def install() -> None:
    from payments import checks

    checks.register(late_shipments_posted)
