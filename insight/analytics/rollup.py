"""The rollup worker: turns finished days into StoreDay/ProductDay rows and marks them RolledDay.

A day is rolled once it is over (local time); rolling is idempotent (delete + insert in one transaction), so the
beat may run it again. insight.receivers un-marks a day when a payment lands on an already rolled day (only
possible with back-dated data), and generate_history re-rolls what it wrote.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from insight.analytics import queries
from insight.models import ProductDay, RolledDay, StoreDay
from shops.models import Store


@transaction.atomic
def roll_day(day: datetime.date) -> int:
    """(Re)compute every store's figures for `day`. Returns the number of store-days written."""
    store_ids = list(Store.objects.values_list("pk", flat=True))
    StoreDay.objects.filter(day=day).delete()
    ProductDay.objects.filter(day=day).delete()
    rows = queries.store_days(store_ids, day, day)
    StoreDay.objects.bulk_create(
        StoreDay(
            store_id=store_id, day=row_day, **{name: row[name] for name in queries.FIGURES}, sources=row["sources"]
        )
        for (store_id, row_day), row in rows.items()
    )
    ProductDay.objects.bulk_create(
        ProductDay(store_id=store_id, sku_id=sku_id, product_id=product_id, day=row_day, units=units, gmv=gmv)
        for store_id, sku_id, product_id, row_day, units, gmv in queries.sku_days(store_ids, day, day)
    )
    RolledDay.objects.update_or_create(day=day)
    return len(rows)


def roll_range(first: datetime.date, last: datetime.date) -> int:
    """Roll every day in [first, last] that is over (never today)."""
    last = min(last, timezone.localdate() - datetime.timedelta(days=1))
    count, day = 0, first
    while day <= last:
        roll_day(day)
        count += 1
        day += datetime.timedelta(days=1)
    return count


def roll_pending(lookback_days: int = 400, limit: int = 60) -> int:
    """Roll finished days of the last `lookback_days` that have no RolledDay row yet, newest first."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    first = yesterday - datetime.timedelta(days=lookback_days)
    rolled = set(RolledDay.objects.filter(day__gte=first).values_list("day", flat=True))
    pending = [yesterday - datetime.timedelta(days=n) for n in range(lookback_days + 1)]
    pending = [day for day in pending if day not in rolled][:limit]
    for day in pending:
        roll_day(day)
    return len(pending)


def forget_day(day: datetime.date) -> None:
    """Figures of `day` changed after it was rolled: read it live until the worker rolls it again."""
    RolledDay.objects.filter(day=day).delete()
