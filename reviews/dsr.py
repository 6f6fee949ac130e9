"""Store ratings (DSR): the mean of each store's last 180 days of scores, written to shops.StoreRating.

A review's scores count towards the vertical of its product (the top-level category). A store's vertical is the
one most of its scored items belong to (else most of its products). The vertical average is the mean of every
score in that vertical over the same window; each store is compared with it. Hidden reviews still count: hiding
is about showing the text, a buyer's scores stay part of the store's record.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from reviews import rules, sales
from reviews.models import Review, StoreRatingDay
from shops.models import DSR_DIMENSIONS, Product, StoreRating

FIELDS = {"description": "dsr_description", "service": "dsr_service", "logistics": "dsr_logistics"}


def _window(now: datetime.datetime):
    return Review.objects.filter(created_at__gt=now - rules.DSR_WINDOW, created_at__lte=now)


def vertical_averages(now: datetime.datetime) -> dict[int, dict[str, object]]:
    """vertical id -> {"description": mean, ..., "count": n}; means need the floor like a store's."""
    rows = (
        _window(now)
        .values("product__category__vertical_id")
        .annotate(count=Count("id"), **{code: Sum(field) for code, field in FIELDS.items()})
    )
    return {
        row["product__category__vertical_id"]: {
            "count": row["count"],
            **{code: rules.mean(row[code], row["count"]) for code in DSR_DIMENSIONS},
        }
        for row in rows
    }


def store_verticals(store_ids, now: datetime.datetime) -> dict[int, int]:
    """store id -> its main vertical: where most of its scored items are, else most of its products."""
    chosen: dict[int, tuple[int, int]] = {}
    scored = (
        _window(now)
        .filter(store_id__in=store_ids)
        .values("store_id", "product__category__vertical_id")
        .annotate(n=Count("id"))
    )
    for row in scored:
        key = (row["n"], -(row["product__category__vertical_id"] or 0))
        if row["store_id"] not in chosen or key > chosen[row["store_id"]][0]:
            chosen[row["store_id"]] = (key, row["product__category__vertical_id"])
    missing = [pk for pk in store_ids if pk not in chosen]
    if missing:
        products = (
            Product.objects.filter(store_id__in=missing)
            .values("store_id", "category__vertical_id")
            .annotate(n=Count("id"))
        )
        for row in products:
            key = (row["n"], -(row["category__vertical_id"] or 0))
            if row["store_id"] not in chosen or key > chosen[row["store_id"]][0]:
                chosen[row["store_id"]] = (key, row["category__vertical_id"])
    return {store_id: vertical for store_id, (_key, vertical) in chosen.items()}


def recompute(store_ids=None, now: datetime.datetime | None = None) -> int:
    """Recompute the DSR of ``store_ids`` (None: every store with scores in the window or a rating row).

    Set-based: one grouped aggregate for the stores, one for the verticals, one upsert. Returns rows written."""
    now = now or timezone.now()
    scores = _window(now)
    if store_ids is not None:
        store_ids = list(store_ids)
        scores = scores.filter(store_id__in=store_ids)
    per_store = {
        row["store_id"]: row
        for row in scores.values("store_id").annotate(
            count=Count("id"), **{code: Sum(field) for code, field in FIELDS.items()}
        )
    }
    if store_ids is None:
        store_ids = sorted(set(per_store) | set(StoreRating.objects.values_list("store_id", flat=True)))
    if not store_ids:
        return 0
    verticals = store_verticals(store_ids, now)
    averages = vertical_averages(now)
    rows, days = [], []
    today = timezone.localdate(now)
    for store_id in store_ids:
        row = per_store.get(store_id, {"count": 0})
        count = row["count"]
        means = {code: rules.mean(row.get(code), count) for code in DSR_DIMENSIONS}
        vertical = verticals.get(store_id)
        average = averages.get(vertical, {})
        compared = {code: rules.versus(means[code], average.get(code)) for code in DSR_DIMENSIONS}
        rows.append(
            StoreRating(
                store_id=store_id,
                count=count,
                vertical_id=vertical,
                versus_vertical={code: value for code, value in compared.items() if value is not None},
                **means,
            )
        )
        days.append(StoreRatingDay(store_id=store_id, day=today, count=count, **means))
    with transaction.atomic():
        StoreRating.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["store"],
            update_fields=["count", "vertical", "versus_vertical", "updated_at", *DSR_DIMENSIONS],
        )
        StoreRatingDay.objects.bulk_create(
            days, update_conflicts=True, unique_fields=["store", "day"], update_fields=["count", *DSR_DIMENSIONS]
        )
        sales.rescore_stores(store_ids)
    return len(rows)
