"""The review rules as plain numbers and functions (no ORM): windows, the DSR floor, comparisons."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

REVIEW_WINDOW = datetime.timedelta(days=15)  # after receipt, the buyer may review the line
FOLLOWUP_WINDOW = datetime.timedelta(days=180)  # after the review, one follow-up (追评)
DSR_WINDOW = datetime.timedelta(days=180)  # a store's DSR is the mean of this many days of scores
DSR_FLOOR = 10  # fewer scores than this in the window: the DSR is not shown
SALES_WINDOW = datetime.timedelta(days=30)  # 月销
MAX_TEXT = 500
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 1280
TWO_PLACES = Decimal("0.01")


def review_deadline(received_at: datetime.datetime) -> datetime.datetime:
    return received_at + REVIEW_WINDOW


def followup_deadline(reviewed_at: datetime.datetime) -> datetime.datetime:
    return reviewed_at + FOLLOWUP_WINDOW


def mean(total: int | Decimal | None, count: int) -> Decimal | None:
    """Mean to two places (half up) or None below the floor."""
    if count < DSR_FLOOR or total is None:
        return None
    return (Decimal(total) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def versus(value: Decimal | None, average: Decimal | None) -> float | None:
    """By what percentage ``value`` is above (positive) or below (negative) ``average``, to one place."""
    if value is None or not average:
        return None
    percent = (Decimal(value) - Decimal(average)) / Decimal(average) * 100
    return float(percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
