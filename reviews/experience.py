"""Customer experience by vertical and brand (客户体验评价) for operators: one grouped SQL statement per source.

A review counts towards its product's vertical; a sub-order (and its refunds) towards the vertical of its first
line's product. Rates are shares of the period's paid sub-orders (refunds, disputes) or of the period's refund
requests (instant). Times are medians in hours. Late shipment comes from the logistics app once it records
ship-by deadlines: ``LATE_SHIPMENT`` is the hook (a function (since, until) -> {(vertical, brand): rate}).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from shops.models import Category, Store

PERIODS = (1, 7, 30)
LATE_SHIPMENT = None  # hook for logistics: callable(since, until) -> {(vertical_id, brand): Decimal rate}

SUBORDER_VERTICAL = """(SELECT category.vertical_id FROM orders_orderline first_line
    JOIN shops_sku sku ON sku.id = first_line.sku_id
    JOIN shops_product product ON product.id = sku.product_id
    JOIN shops_category category ON category.id = product.category_id
    WHERE first_line.suborder_id = sub.id ORDER BY first_line.id LIMIT 1)"""

REVIEWS_SQL = """
SELECT category.vertical_id, store.brand, {bucket} AS bucket, COUNT(*) AS reviews,
       SUM(CASE WHEN review.rating >= 4 THEN 1 ELSE 0 END) AS good,
       AVG(review.dsr_description) AS description, AVG(review.dsr_service) AS service,
       AVG(review.dsr_logistics) AS logistics
FROM reviews_review review
JOIN shops_product product ON product.id = review.product_id
JOIN shops_category category ON category.id = product.category_id
JOIN shops_store store ON store.id = review.store_id
WHERE review.created_at > %(since)s AND review.created_at <= %(until)s
GROUP BY 1, 2, 3
"""

ORDERS_SQL = """
SELECT {vertical} AS vertical_id, store.brand, {bucket} AS bucket, COUNT(*) AS paid,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sub.shipped_at - sub.paid_at) / 3600)
           FILTER (WHERE sub.shipped_at IS NOT NULL) AS ship_hours
FROM orders_suborder sub
JOIN shops_store store ON store.id = sub.store_id
WHERE sub.paid_at > %(since)s AND sub.paid_at <= %(until)s
GROUP BY 1, 2, 3
"""

REFUNDS_SQL = """
SELECT {vertical} AS vertical_id, store.brand, {bucket} AS bucket, COUNT(*) AS refunds,
       SUM(CASE WHEN request.instant THEN 1 ELSE 0 END) AS instant,
       SUM(CASE WHEN request.escalation_note <> '' OR request.status = 'escalated' THEN 1 ELSE 0 END) AS disputes,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (
           SELECT MIN(event.at) FROM orders_suborderevent event
           WHERE event.suborder_id = request.suborder_id
             AND event.kind IN ('refund_approved', 'refund_rejected', 'refund_timeout')
             AND event.data ->> 'refund' = request.id::text
       ) - request.created_at) / 3600) FILTER (WHERE NOT request.instant) AS response_hours
FROM refunds_refundrequest request
JOIN orders_suborder sub ON sub.id = request.suborder_id
JOIN shops_store store ON store.id = request.store_id
WHERE request.created_at > %(since)s AND request.created_at <= %(until)s
GROUP BY 1, 2, 3
"""

ZERO = Decimal(0)


def period(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return 7
    return days if days in PERIODS else 7


def _q(value, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _rate(part, whole) -> Decimal | None:
    return _q(Decimal(part) * 100 / Decimal(whole), "0.1") if whole else None


@dataclass
class Row:
    vertical_id: int | None
    vertical: str
    brand: str
    reviews: int = 0
    good: int = 0
    description: Decimal | None = None
    service: Decimal | None = None
    logistics: Decimal | None = None
    paid: int = 0
    refunds: int = 0
    instant: int = 0
    disputes: int = 0
    ship_hours: Decimal | None = None
    response_hours: Decimal | None = None
    late_shipment_rate: Decimal | None = None

    @property
    def good_rate(self):
        return _rate(self.good, self.reviews)

    @property
    def refund_rate(self):
        return _rate(self.refunds, self.paid)

    @property
    def instant_share(self):
        return _rate(self.instant, self.refunds)

    @property
    def dispute_rate(self):
        return _rate(self.disputes, self.paid)

    def as_dict(self) -> dict:
        return {
            "vertical_id": self.vertical_id, "vertical": self.vertical, "brand": self.brand,
            "reviews": self.reviews, "description": self.description, "service": self.service,
            "logistics": self.logistics, "good_rate": self.good_rate, "paid_suborders": self.paid,
            "refunds": self.refunds, "refund_rate": self.refund_rate, "instant_share": self.instant_share,
            "dispute_rate": self.dispute_rate, "median_ship_hours": self.ship_hours,
            "median_refund_response_hours": self.response_hours, "late_shipment_rate": self.late_shipment_rate,
        }  # fmt: skip


@dataclass
class Report:
    days: int
    since: datetime.datetime
    until: datetime.datetime
    rows: list[Row]
    daily: dict[str, list[tuple[datetime.date, Decimal | None, Decimal | None]]] = field(default_factory=dict)
    worst_stores: list[dict] = field(default_factory=list)


def _fetch(sql: str, bucket: str, since, until) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(bucket=bucket, vertical=SUBORDER_VERTICAL), {"since": since, "until": until})
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _names() -> dict[int | None, str]:
    english = not (get_language() or "").startswith("zh")
    names = {
        pk: (name_en or name) if english else name
        for pk, name, name_en in Category.objects.filter(parent__isnull=True).values_list("pk", "name", "name_en")
    }
    names[None] = "—"
    return names


def report(days: int = 7, now: datetime.datetime | None = None) -> Report:
    until = now or timezone.now()
    since = until - datetime.timedelta(days=days)
    names = _names()
    rows: dict[tuple, Row] = {}

    def row(vertical_id, brand) -> Row:
        key = (vertical_id, brand)
        if key not in rows:
            rows[key] = Row(vertical_id, names.get(vertical_id, "—"), brand)
        return rows[key]

    for data in _fetch(REVIEWS_SQL, "0", since, until):
        target = row(data["vertical_id"], data["brand"])
        target.reviews, target.good = data["reviews"], data["good"]
        target.description, target.service = _q(data["description"]), _q(data["service"])
        target.logistics = _q(data["logistics"])
    for data in _fetch(ORDERS_SQL, "0", since, until):
        target = row(data["vertical_id"], data["brand"])
        target.paid, target.ship_hours = data["paid"], _q(data["ship_hours"], "0.1")
    for data in _fetch(REFUNDS_SQL, "0", since, until):
        target = row(data["vertical_id"], data["brand"])
        target.refunds, target.instant, target.disputes = data["refunds"], data["instant"], data["disputes"]
        target.response_hours = _q(data["response_hours"], "0.1")
    if LATE_SHIPMENT is not None:
        for key, rate in LATE_SHIPMENT(since, until).items():
            row(*key).late_shipment_rate = rate
    ordered = sorted(rows.values(), key=lambda r: (r.vertical, r.brand))
    return Report(days, since, until, ordered, daily_series(30, until, names), worst_stores())


def daily_series(days: int, until: datetime.datetime, names=None) -> dict[str, list]:
    """vertical name -> [(day, mean DSR of the day's reviews, refund rate of the day's paid sub-orders)].
    Days are the database session's calendar days (the project's TIME_ZONE)."""
    names = names or _names()
    since = until - datetime.timedelta(days=days)
    dsr: dict = defaultdict(lambda: [0, ZERO])
    for data in _fetch(REVIEWS_SQL, "DATE(review.created_at)", since, until):
        entry = dsr[(data["vertical_id"], data["bucket"])]
        mean = Decimal(str(data["description"])) + Decimal(str(data["service"])) + Decimal(str(data["logistics"]))
        entry[0] += data["reviews"]
        entry[1] += mean / 3 * data["reviews"]
    paid: dict = defaultdict(int)
    for data in _fetch(ORDERS_SQL, "DATE(sub.paid_at)", since, until):
        paid[(data["vertical_id"], data["bucket"])] += data["paid"]
    refunds: dict = defaultdict(int)
    for data in _fetch(REFUNDS_SQL, "DATE(request.created_at)", since, until):
        refunds[(data["vertical_id"], data["bucket"])] += data["refunds"]
    verticals = {key[0] for key in (*dsr, *paid)}
    start = (until - datetime.timedelta(days=days - 1)).date()
    series = {}
    for vertical in sorted(verticals, key=lambda v: names.get(v, "—")):
        points = []
        for offset in range(days):
            day = start + datetime.timedelta(days=offset)
            count, total = dsr.get((vertical, day), (0, ZERO))
            refund_rate = _rate(refunds[(vertical, day)], paid[(vertical, day)])
            points.append((day, _q(total / count) if count else None, refund_rate))
        series[names.get(vertical, "—")] = points
    return series


def worst_stores(per_vertical: int = 5) -> list[dict]:
    """The lowest-rated stores (mean of the three DSR figures) of each vertical, among stores above the floor."""
    names = _names()
    stores = (
        Store.objects.filter(dsr__description__isnull=False)
        .select_related("dsr")
        .only(
            "pk",
            "name",
            "slug",
            "brand",
            "dsr__description",
            "dsr__service",
            "dsr__logistics",
            "dsr__count",
            "dsr__vertical_id",
        )  # fmt: skip
    )
    grouped: dict = defaultdict(list)
    for store in stores:
        rating = store.dsr
        mean = _q((rating.description + rating.service + rating.logistics) / 3)
        grouped[rating.vertical_id].append({
            "vertical": names.get(rating.vertical_id, "—"), "store": store.name, "slug": store.slug,
            "brand": store.brand, "mean": mean, "description": rating.description, "service": rating.service,
            "logistics": rating.logistics, "count": rating.count,
        })  # fmt: skip
    result = []
    for vertical_id in sorted(grouped, key=lambda v: names.get(v, "—")):
        result.extend(sorted(grouped[vertical_id], key=lambda item: (item["mean"], item["store"]))[:per_vertical])
    return result


CSV_COLUMNS = ["vertical", "brand", "reviews", "description", "service", "logistics", "good_rate",
               "paid_suborders", "refunds", "refund_rate", "instant_share", "dispute_rate", "median_ship_hours",
               "median_refund_response_hours", "late_shipment_rate"]  # fmt: skip
