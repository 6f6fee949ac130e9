"""Customer experience by vertical and brand (客户体验评价) for operators: one grouped SQL statement per source,
over a window (the last 1, 7 or 30 days) and per calendar day (the project's TIME_ZONE).

A review counts towards its product's vertical; a sub-order (and its refunds) towards the vertical of its first
line's product. Rates are shares of the period's paid sub-orders (refunds, disputes), of the period's refund
requests (instant) or of the sub-orders whose ship-by fell in the period (late shipment, from
``logistics.selectors.late_shipment_figures``). Times are medians in hours.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from logistics.selectors import late_shipment_figures
from shops.models import Brand, Category, Store

PERIODS = (1, 7, 30)
CHART_DAYS = 30

SUBORDER_VERTICAL = """(SELECT category.vertical_id FROM orders_orderline first_line
    JOIN shops_sku sku ON sku.id = first_line.sku_id
    JOIN shops_product product ON product.id = sku.product_id
    JOIN shops_category category ON category.id = product.category_id
    WHERE first_line.suborder_id = sub.id ORDER BY first_line.id LIMIT 1)"""

# The bucket of each source: the whole window, or the calendar day in the project's time zone.
WINDOW = {"reviews": "NULL::date", "orders": "NULL::date", "refunds": "NULL::date"}
BY_DAY = {
    "reviews": "DATE(review.created_at AT TIME ZONE %(tz)s)",
    "orders": "DATE(sub.paid_at AT TIME ZONE %(tz)s)",
    "refunds": "DATE(request.created_at AT TIME ZONE %(tz)s)",
}

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


def _brand_label(code: str):
    return Brand(code).label if code in Brand.values else code


@dataclass
class Row:
    vertical_id: int | None
    vertical: str
    brand: str
    day: datetime.date | None = None
    reviews: int = 0
    good: int = 0
    description: Decimal | None = None
    service: Decimal | None = None
    logistics: Decimal | None = None
    dsr_sum: Decimal = ZERO  # the reviews' mean of the three scores, summed: charts weigh brands by reviews
    paid: int = 0
    refunds: int = 0
    instant: int = 0
    disputes: int = 0
    ship_hours: Decimal | None = None
    response_hours: Decimal | None = None
    shipments_due: int = 0
    late_shipments: int = 0

    @property
    def brand_label(self) -> str:
        """The brand as the reader says it (天猫 / 淘宝), not its code."""
        return _brand_label(self.brand)

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

    @property
    def late_shipment_rate(self):
        return _rate(self.late_shipments, self.shipments_due)

    def as_dict(self) -> dict:
        return {
            "day": self.day, "vertical_id": self.vertical_id, "vertical": self.vertical, "brand": self.brand,
            "reviews": self.reviews, "description": self.description, "service": self.service,
            "logistics": self.logistics, "good_rate": self.good_rate, "paid_suborders": self.paid,
            "refunds": self.refunds, "refund_rate": self.refund_rate, "instant_share": self.instant_share,
            "dispute_rate": self.dispute_rate, "median_ship_hours": self.ship_hours,
            "median_refund_response_hours": self.response_hours, "shipments_due": self.shipments_due,
            "late_shipments": self.late_shipments, "late_shipment_rate": self.late_shipment_rate,
        }  # fmt: skip


@dataclass
class Report:
    days: int
    since: datetime.datetime
    until: datetime.datetime
    rows: list[Row]
    daily: dict[str, list[tuple[datetime.date, Decimal | None, Decimal | None]]] = field(default_factory=dict)
    worst_stores: list[dict] = field(default_factory=list)
    per_day: list[Row] = field(default_factory=list)  # the period's days, newest first, then vertical and brand


def _fetch(sql: str, bucket: str, since, until) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(bucket=bucket, vertical=SUBORDER_VERTICAL),
            {"since": since, "until": until, "tz": settings.TIME_ZONE},
        )
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


def _collect(since, until, *, by_day: bool, names) -> list[Row]:
    """Every source grouped by (vertical, brand, bucket): four statements, whatever the number of days."""
    buckets = BY_DAY if by_day else WINDOW
    rows: dict[tuple, Row] = {}

    def row(vertical_id, brand, day) -> Row:
        key = (vertical_id, brand, day)
        if key not in rows:
            rows[key] = Row(vertical_id, names.get(vertical_id, "—"), brand, day)
        return rows[key]

    for data in _fetch(REVIEWS_SQL, buckets["reviews"], since, until):
        target = row(data["vertical_id"], data["brand"], data["bucket"])
        target.reviews, target.good = data["reviews"], data["good"]
        target.description, target.service = _q(data["description"]), _q(data["service"])
        target.logistics = _q(data["logistics"])
        scores = (Decimal(str(data[name])) for name in ("description", "service", "logistics"))
        target.dsr_sum = sum(scores, ZERO) / 3 * data["reviews"]
    for data in _fetch(ORDERS_SQL, buckets["orders"], since, until):
        target = row(data["vertical_id"], data["brand"], data["bucket"])
        target.paid, target.ship_hours = data["paid"], _q(data["ship_hours"], "0.1")
    for data in _fetch(REFUNDS_SQL, buckets["refunds"], since, until):
        target = row(data["vertical_id"], data["brand"], data["bucket"])
        target.refunds, target.instant, target.disputes = data["refunds"], data["instant"], data["disputes"]
        target.response_hours = _q(data["response_hours"], "0.1")
    for data in late_shipment_figures(since, until, by_day=by_day):
        target = row(data["vertical_id"], data["brand"], data["bucket"])
        target.shipments_due, target.late_shipments = data["due"], data["late"]
    return list(rows.values())


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


def report(days: int = 7, now: datetime.datetime | None = None) -> Report:
    """The window's figures, the period's days (from the same per-day statements as the 30-day charts) and the
    lowest-rated stores."""
    until = now or timezone.now()
    since = until - datetime.timedelta(days=days)
    names = _names()
    rows = sorted(_collect(since, until, by_day=False, names=names), key=lambda r: (r.vertical, r.brand))
    today = timezone.localtime(until).date()
    first_day = today - datetime.timedelta(days=max(days, CHART_DAYS) - 1)
    by_day = _collect(_start_of(first_day), until, by_day=True, names=names)
    period_start = today - datetime.timedelta(days=days - 1)
    per_day = sorted(
        (r for r in by_day if r.day is not None and r.day >= period_start),
        key=lambda r: (-r.day.toordinal(), r.vertical, r.brand),
    )
    daily = daily_series(by_day, today, CHART_DAYS, names)
    return Report(days, since, until, rows, daily, worst_stores(), per_day)


def daily_series(by_day: list[Row], today: datetime.date, days: int, names) -> dict[str, list]:
    """vertical name -> [(day, mean DSR of the day's reviews, refund rate of the day's paid sub-orders)], brands
    together, for the ``days`` calendar days up to ``today``."""
    reviews: dict = defaultdict(int)
    dsr_sum: dict = defaultdict(lambda: ZERO)
    paid: dict = defaultdict(int)
    refunds: dict = defaultdict(int)
    for row in by_day:
        key = (row.vertical_id, row.day)
        reviews[key] += row.reviews
        dsr_sum[key] += row.dsr_sum
        paid[key] += row.paid
        refunds[key] += row.refunds
    verticals = {row.vertical_id for row in by_day if row.reviews or row.paid}
    start = today - datetime.timedelta(days=days - 1)
    series = {}
    for vertical in sorted(verticals, key=lambda v: names.get(v, "—")):
        points = []
        for offset in range(days):
            day = start + datetime.timedelta(days=offset)
            count = reviews[(vertical, day)]
            dsr = _q(dsr_sum[(vertical, day)] / count) if count else None
            points.append((day, dsr, _rate(refunds[(vertical, day)], paid[(vertical, day)])))
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
            "brand": store.brand, "brand_label": _brand_label(store.brand), "mean": mean, "description": rating.description, "service": rating.service,
            "logistics": rating.logistics, "count": rating.count,
        })  # fmt: skip
    result = []
    for vertical_id in sorted(grouped, key=lambda v: names.get(v, "—")):
        result.extend(sorted(grouped[vertical_id], key=lambda item: (item["mean"], item["store"]))[:per_vertical])
    return result


CSV_COLUMNS = ["vertical", "brand", "reviews", "description", "service", "logistics", "good_rate",
               "paid_suborders", "refunds", "refund_rate", "instant_share", "dispute_rate", "median_ship_hours",
               "median_refund_response_hours", "shipments_due", "late_shipments", "late_shipment_rate"]  # fmt: skip
DAILY_CSV_COLUMNS = ["day", *CSV_COLUMNS]
