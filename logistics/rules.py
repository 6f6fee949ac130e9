"""Pure rules: when a sub-order must ship, and what a late shipment pays the shopper."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def base_ship_by(
    started_at: datetime.datetime, hours: int | None, presale_ship_date: datetime.date | None, tz
) -> datetime.datetime:
    """Pre-sale: the end of the promised day; otherwise ``hours`` after payment."""
    if presale_ship_date is not None:
        return datetime.datetime.combine(presale_ship_date, datetime.time.max, tzinfo=tz).replace(microsecond=0)
    return started_at + datetime.timedelta(hours=hours or 48)


def compensation(suborder_payable: Decimal, rate: Decimal, cap: Decimal) -> Decimal:
    """A share of what the shopper paid for the sub-order, rounded to the cent, never above the cap."""
    amount = (Decimal(suborder_payable) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(min(amount, Decimal(cap)), Decimal("0.00"))
