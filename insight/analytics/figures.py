"""Merchant analytics reads: daily figures for one store or several, from rollups for finished days plus a live
set-based query for the days not rolled up yet (today). Definitions: insight/models.py and docs/INSIGHT.md."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from insight import events
from insight.analytics import queries
from insight.models import ProductDay, RolledDay, StoreDay
from marketplace.api import DomainError
from marketplace.money import CENT

MAX_RANGE_DAYS = 366
GRAINS = ("day", "week", "month")


def parse_range(raw_from, raw_to, *, default_days: int = 30) -> tuple[datetime.date, datetime.date]:
    """Validate a from/to pair of YYYY-MM-DD strings; missing ends default to the last `default_days` days."""
    today = timezone.localdate()

    def parse(raw, name, default):
        if raw in (None, ""):
            return default
        try:
            return datetime.date.fromisoformat(str(raw))
        except ValueError:
            raise DomainError(
                _("%(name)s must be a date as YYYY-MM-DD.") % {"name": name}, code="invalid_date"
            ) from None

    last = parse(raw_to, "to", today)
    first = parse(raw_from, "from", last - datetime.timedelta(days=default_days - 1))
    if first > last:
        raise DomainError(_("from must not be after to."), code="invalid_range")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DomainError(
            _("A date range can span at most %(days)s days.") % {"days": MAX_RANGE_DAYS}, code="range_too_long"
        )
    return first, last


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def store_day_rows(store_ids, first: datetime.date, last: datetime.date) -> dict[tuple[int, datetime.date], dict]:
    """(store, day) -> figures: rolled days from StoreDay, the rest (up to today) computed live."""
    store_ids = list(store_ids)
    today = timezone.localdate()
    rolled = set(RolledDay.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))
    live = [day for day in _days(first, min(last, today)) if day not in rolled]
    rows: dict[tuple[int, datetime.date], dict] = {}
    if rolled and store_ids:
        for record in StoreDay.objects.filter(store_id__in=store_ids, day__in=rolled):
            row = {name: getattr(record, name) for name in queries.FIGURES}
            row["sources"] = dict(record.sources or {})
            rows[(record.store_id, record.day)] = row
    if live and store_ids:
        if today in live:
            events.flush(max_batches=1)  # queued events count too (one bounded batch; the worker does the rest)
        live_set = set(live)
        for key, row in queries.store_days(store_ids, min(live), max(live)).items():
            if key[1] in live_set:
                rows[key] = row
    return rows


def _ratio(numerator, denominator, places="0.0001") -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def finish(row: dict) -> dict:
    """Add the derived figures: net sales, average order value, conversion, returning buyers."""
    row["net_sales"] = row["gmv"] - row["refunds"]
    row["aov"] = _ratio(row["gmv"], row["orders"], "0.01") or Decimal("0.00")
    row["conversion"] = _ratio(row["buyers"], row["visitors"])
    row["returning_buyers"] = row["buyers"] - row["new_buyers"]
    return row


def period_start(day: datetime.date, grain: str) -> datetime.date:
    if grain == "week":
        return day - datetime.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def series(store_ids, first: datetime.date, last: datetime.date, grain: str = "day") -> list[dict]:
    """One row per period in [first, last] (every period present, zeros included), summed over the stores.

    Buyers and visitors are summed per store and day: a shopper who buys in two stores (or on two days) counts in
    each, the way each store's own figures count them."""
    if grain not in GRAINS:
        raise DomainError(_("Unknown grouping."), code="invalid_grain")
    per_store_day = store_day_rows(store_ids, first, last)
    periods: dict[datetime.date, dict] = {}
    for day in _days(first, last):
        periods.setdefault(period_start(day, grain), queries.empty_row())
    for (_store, day), row in per_store_day.items():
        target = periods[period_start(day, grain)]
        for name in queries.FIGURES:
            target[name] += row[name]
        for source, count in row["sources"].items():
            target["sources"][source] = target["sources"].get(source, 0) + count
    result = []
    for start, row in sorted(periods.items()):
        row["date"] = start
        result.append(finish(row))
    for row in result:
        row["gmv"] = row["gmv"].quantize(CENT)
        row["refunds"] = row["refunds"].quantize(CENT)
        row["net_sales"] = row["net_sales"].quantize(CENT)
    return result


def totals(rows: list[dict]) -> dict:
    total = queries.empty_row()
    for row in rows:
        for name in queries.FIGURES:
            total[name] += row[name]
        for source, count in row["sources"].items():
            total["sources"][source] = total["sources"].get(source, 0) + count
    return finish(total)


def top_products(store_ids, first: datetime.date, last: datetime.date, limit: int = 10) -> list[dict]:
    """Best sellers by paid amount in the range (rolled days from ProductDay, the rest live)."""
    store_ids = list(store_ids)
    today = timezone.localdate()
    rolled = set(RolledDay.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))
    live = [day for day in _days(first, min(last, today)) if day not in rolled]
    units: dict[int, int] = defaultdict(int)
    gmv: dict[int, Decimal] = defaultdict(Decimal)
    if rolled:
        for product_id, sold, amount in (
            ProductDay.objects.filter(store_id__in=store_ids, day__in=rolled)
            .values("product_id")
            .annotate(sold=Sum("units"), amount=Sum("gmv"))
            .values_list("product_id", "sold", "amount")
        ):
            units[product_id] += sold
            gmv[product_id] += amount
    if live:
        live_set = set(live)
        for _store, _sku, product_id, day, sold, amount in queries.sku_days(store_ids, min(live), max(live)):
            if day in live_set:
                units[product_id] += sold
                gmv[product_id] += Decimal(amount)
    from shops.models import Product

    best = sorted(gmv, key=lambda pk: (-gmv[pk], pk))[:limit]
    titles = dict(Product.objects.filter(pk__in=best).values_list("pk", "title"))
    return [{"product_id": pk, "title": titles.get(pk, ""), "units": units[pk], "gmv": gmv[pk]} for pk in best]


PROMOTION_SQL = """
SELECT d.source_kind, d.source_id, MIN(d.label), COUNT(DISTINCT so.id), COALESCE(SUM(d.amount), 0),
       COALESCE(SUM(l.payable), 0)
FROM orders_orderlinediscount d
JOIN orders_orderline l ON l.id = d.line_id
JOIN orders_suborder so ON so.id = l.suborder_id
WHERE so.store_id = ANY(%(stores)s) AND so.paid_at >= %(start)s AND so.paid_at < %(end)s
GROUP BY 1, 2 ORDER BY 5 DESC LIMIT 20
"""


def promotion_performance(store_ids, first: datetime.date, last: datetime.date) -> list[dict]:
    """Campaigns, store promotions and coupons used on paid sub-orders in the range: orders, discount, sales."""
    from django.db import connection

    if not store_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(PROMOTION_SQL, queries._params(store_ids, first, last))
        return [
            {"kind": kind, "id": source_id, "label": label, "orders": orders, "discount": Decimal(discount),
             "sales": Decimal(sales)}
            for kind, source_id, label, orders, discount, sales in cursor.fetchall()
        ]  # fmt: skip
