"""Demo finance: commission rates, and settlement of every received demo sub-order. Runs after the refunds demo (so
a demo refund is paid out of escrow before settlement); idempotent (rates by scope, settlement once per sub-order)."""

from __future__ import annotations

from decimal import Decimal

from settlement import services
from settlement.models import CommissionRate

RATES = [("", Decimal("0.0500")), ("TMALL", Decimal("0.0400"))]


def seed(stdout):
    for brand, rate in RATES:
        CommissionRate.objects.get_or_create(vertical=None, brand=brand, defaults={"rate": rate})
    settled, _skipped, _failed = services.settle_due()
    stdout.write(f"settlement: {len(RATES)} commission rates, {settled} settled")
    return []
