"""Set-based SQL computing store-day and SKU-day figures straight from orders, refunds and events.

Used two ways: the rollup worker writes their result for finished days (insight.analytics.rollup), and the
analytics reader runs them live for the days not rolled up yet (today, normally). One definition, two uses, so a
rolled day and a live day can never disagree.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

# Paid sub-orders of the stores in the window, by local paid date, with "new buyer" = the shopper's first paid
# sub-order in that store falls on that day.
PAID_SQL = """
WITH paid AS (
    SELECT so.id, so.store_id, (so.paid_at AT TIME ZONE %(tz)s)::date AS day, so.payable, o.shopper_id
    FROM orders_suborder so JOIN orders_order o ON o.id = so.order_id
    WHERE so.store_id = ANY(%(stores)s) AND so.paid_at >= %(start)s AND so.paid_at < %(end)s
),
units AS (
    SELECT l.suborder_id, SUM(l.quantity) AS units FROM orders_orderline l
    WHERE l.suborder_id IN (SELECT id FROM paid) GROUP BY l.suborder_id
)
SELECT paid.store_id, paid.day, COUNT(*), COALESCE(SUM(paid.payable), 0), COUNT(DISTINCT paid.shopper_id),
    COUNT(DISTINCT paid.shopper_id) FILTER (WHERE NOT EXISTS (
        SELECT 1 FROM orders_suborder earlier JOIN orders_order eo ON eo.id = earlier.order_id
        WHERE earlier.store_id = paid.store_id AND eo.shopper_id = paid.shopper_id
          AND earlier.paid_at < (paid.day::timestamp AT TIME ZONE %(tz)s)
    )),
    COALESCE(SUM(units.units), 0)
FROM paid LEFT JOIN units ON units.suborder_id = paid.id
GROUP BY paid.store_id, paid.day
"""

REFUNDS_SQL = """
SELECT store_id, (refunded_at AT TIME ZONE %(tz)s)::date AS day, COALESCE(SUM(amount), 0), COUNT(*)
FROM refunds_refundrequest
WHERE status = 'refunded' AND store_id = ANY(%(stores)s) AND refunded_at >= %(start)s AND refunded_at < %(end)s
GROUP BY 1, 2
"""

VISITS_SQL = """
SELECT store_id, day, source, COUNT(DISTINCT visitor), COUNT(*) FILTER (WHERE kind = 'product_view')
FROM insight_event
WHERE store_id = ANY(%(stores)s) AND day >= %(first)s AND day <= %(last)s
GROUP BY GROUPING SETS ((store_id, day, source), (store_id, day))
"""

SKU_SQL = """
SELECT so.store_id, l.sku_id, sku.product_id, (so.paid_at AT TIME ZONE %(tz)s)::date AS day,
       SUM(l.quantity), COALESCE(SUM(l.payable), 0)
FROM orders_orderline l
JOIN orders_suborder so ON so.id = l.suborder_id
JOIN shops_sku sku ON sku.id = l.sku_id
WHERE so.store_id = ANY(%(stores)s) AND so.paid_at >= %(start)s AND so.paid_at < %(end)s
GROUP BY 1, 2, 3, 4
"""

FIGURES = ("orders", "gmv", "refunds", "refund_count", "buyers", "new_buyers", "units", "visitors", "views")


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()), timezone.get_default_timezone())


def _params(store_ids, first: datetime.date, last: datetime.date) -> dict:
    return {
        "tz": settings.TIME_ZONE,
        "stores": list(store_ids),
        "start": day_start(first),
        "end": day_start(last + datetime.timedelta(days=1)),
        "first": first,
        "last": last,
    }


def empty_row() -> dict:
    row = dict.fromkeys(FIGURES, 0)
    row["gmv"] = row["refunds"] = Decimal("0.00")
    row["sources"] = {}
    return row


def store_days(store_ids, first: datetime.date, last: datetime.date) -> dict[tuple[int, datetime.date], dict]:
    """(store id, day) -> figures, for every store-day in [first, last] with any activity."""
    rows: dict[tuple[int, datetime.date], dict] = {}
    if not store_ids:
        return rows
    params = _params(store_ids, first, last)

    def row(store_id, day):
        return rows.setdefault((store_id, day), empty_row())

    with connection.cursor() as cursor:
        cursor.execute(PAID_SQL, params)
        for store_id, day, orders, gmv, buyers, new_buyers, units in cursor.fetchall():
            target = row(store_id, day)
            target.update(orders=orders, gmv=Decimal(gmv), buyers=buyers, new_buyers=new_buyers, units=int(units))
        cursor.execute(REFUNDS_SQL, params)
        for store_id, day, amount, count in cursor.fetchall():
            row(store_id, day).update(refunds=Decimal(amount), refund_count=count)
        cursor.execute(VISITS_SQL, params)
        for store_id, day, source, visitors, views in cursor.fetchall():
            target = row(store_id, day)
            if source is None:
                target.update(visitors=visitors, views=views)
            else:
                target["sources"][source] = visitors
    return rows


def sku_days(store_ids, first: datetime.date, last: datetime.date) -> list[tuple]:
    """(store id, sku id, product id, day, units, gmv) of paid sub-orders in [first, last]."""
    if not store_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(SKU_SQL, _params(store_ids, first, last))
        return cursor.fetchall()
