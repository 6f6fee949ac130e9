"""Reads for finance pages: a store's statement for a period, promotion subsidy per campaign and store."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from marketplace.money import ZERO
from payments import ledger
from payments.models import Posting
from settlement.models import Settlement

KIND_LABELS = {
    "settlement": "settlement",
    "refund_clawback": "refund after settlement",
    "payout": "payout",
    "late_shipment_compensation": "late-shipment compensation",
}


@dataclass
class StatementLine:
    at: datetime.datetime
    kind: str
    reference: str
    memo: str
    amount: Decimal
    settlement: Settlement | None = None


@dataclass
class Statement:
    store_id: int
    start: datetime.date
    end: datetime.date  # inclusive
    opening: Decimal = ZERO
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.opening + sum((line.amount for line in self.lines), ZERO)

    def total(self, kind: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == kind), ZERO)

    @property
    def totals(self) -> dict:
        settled = [line.settlement for line in self.lines if line.settlement is not None]
        return {
            "settled": self.total("settlement"),
            "paid": sum((s.paid_amount for s in settled), ZERO),
            "subsidy": sum((s.platform_subsidy for s in settled), ZERO),
            "commission": sum((s.commission for s in settled), ZERO),
            "adjustments": sum((s.adjustments_total for s in settled), ZERO),
            "clawed_back": -self.total("refund_clawback"),
            "late_shipments": -self.total("late_shipment_compensation"),
            "paid_out": -self.total("payout"),
        }


def month_bounds(month: str | None) -> tuple[datetime.date, datetime.date]:
    """'2026-11' -> (2026-11-01, 2026-11-30); a bad or missing value means the current month."""
    today = timezone.localdate()
    try:
        year, number = (int(part) for part in (month or "").split("-"))
        start = datetime.date(year, number, 1)
    except (ValueError, TypeError):
        start = today.replace(day=1)
    following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, following - datetime.timedelta(days=1)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def statement(store_id: int, start: datetime.date, end: datetime.date) -> Statement:
    account = ledger.store_payable(store_id)
    begin, finish = _aware(start), _aware(end + datetime.timedelta(days=1))
    postings = Posting.objects.filter(account=account)
    opening = postings.filter(entry__created_at__lt=begin).aggregate(t=Sum("amount"))["t"] or ZERO
    rows = (
        postings.filter(entry__created_at__gte=begin, entry__created_at__lt=finish)
        .select_related("entry")
        .order_by("entry__created_at", "entry_id")
    )
    settlements = {
        s.entry_id: s
        for s in Settlement.objects.filter(
            store_id=store_id, created_at__gte=begin, created_at__lt=finish
        ).select_related("suborder")
    }
    result = Statement(store_id=store_id, start=start, end=end, opening=opening)
    for posting in rows:
        entry = posting.entry
        result.lines.append(
            StatementLine(
                at=entry.created_at,
                kind=entry.kind,
                reference=entry.reference,
                memo=entry.memo,
                amount=posting.amount,
                settlement=settlements.get(entry.pk),
            )
        )
    return result


def campaign_subsidies(limit: int = 500) -> list[dict]:
    """Platform-funded discounts on settled sub-orders, per promotion and store (what the platform paid stores)."""
    from orders.models import OrderLineDiscount

    rows = (
        OrderLineDiscount.objects.filter(platform_funded__gt=0, line__suborder__settlement__isnull=False)
        .values("source_kind", "source_id", "label", "line__suborder__store_id", "line__suborder__store__name")
        .annotate(subsidy=Sum("platform_funded"), discount=Sum("amount"))
        .order_by("source_kind", "source_id", "line__suborder__store__name")[:limit]
    )
    return [
        {
            "source_kind": row["source_kind"],
            "source_id": row["source_id"],
            "label": row["label"],
            "store_id": row["line__suborder__store_id"],
            "store": row["line__suborder__store__name"],
            "discount": row["discount"],
            "subsidy": row["subsidy"],
        }
        for row in rows
    ]


def return_insurance(limit: int = 500) -> list[dict]:
    """运费险 the platform paid (shoppers' return postage), per store: platform-funded like promotion subsidies."""
    from refunds.models import ReturnInsurancePayout

    rows = (
        ReturnInsurancePayout.objects.values("store_id", "store__name")
        .annotate(payouts=Count("pk"), amount=Sum("amount"))
        .order_by("store__name")[:limit]
    )
    return [
        {"store_id": row["store_id"], "store": row["store__name"], "payouts": row["payouts"], "amount": row["amount"]}
        for row in rows
    ]
