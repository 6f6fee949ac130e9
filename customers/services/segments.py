"""Recompute a merchant's customers and lifecycle segments with set-based SQL (no Python loop per shopper).

One run, in one transaction:
1. aggregate paid sub-orders at the merchants' stores (orders, units, gross, refunds, first/last order, stores)
   and follows into a temporary table, one row per (merchant, shopper);
2. find each merchant's high-value threshold (the spend of the customer at the top ``high_value_percent``);
3. delete customers that no longer have an order or a follow, upsert the others with their segment flags;
4. (full runs) record the day's counts per segment and the threshold.

Full runs (nightly beat, the "recompute now" button) take a transaction-level advisory lock per merchant, so two
never interleave; a refresh for a few shoppers (after their payment or follow) locks only their rows, and both
write rows in (merchant, shopper) order, so they cannot deadlock.

Day windows are calendar days in the project's time zone: "in the last 30 days" includes the day 30 days ago.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.lock_objects import locked_segment_settings
from customers.models import Customer, SegmentSettings, SegmentSnapshot, StoreFollow
from marketplace.api import DomainError
from orders.models import Order, OrderLine, SubOrder
from refunds.models import RefundRequest
from shops.models import Merchant, Store

log = logging.getLogger(__name__)

ADVISORY_NAMESPACE = 0x43555354  # "CUST": keeps these advisory locks apart from other apps'
DROP_SQL = "DROP TABLE IF EXISTS customers_params, customers_agg, customers_threshold"
DEFAULTS = {field: SegmentSettings._meta.get_field(field).default for field in (
    "new_days", "regular_days", "regular_min_orders", "high_value_percent", "at_risk_days", "lost_days",
)}  # fmt: skip


def tables() -> dict[str, str]:
    return {
        "customer": Customer._meta.db_table,
        "settings": SegmentSettings._meta.db_table,
        "snapshot": SegmentSnapshot._meta.db_table,
        "follow": StoreFollow._meta.db_table,
        "suborder": SubOrder._meta.db_table,
        "order": Order._meta.db_table,
        "line": OrderLine._meta.db_table,
        "refund": RefundRequest._meta.db_table,
        "store": Store._meta.db_table,
        "merchant": Merchant._meta.db_table,
    }


def cutoff(days: str) -> str:
    """SQL for local midnight ``days`` calendar days before today, as a timestamptz."""
    return f"((%(today)s::date - {days})::timestamp AT TIME ZONE %(tz)s)"


PARAMS_SQL = """
CREATE TEMP TABLE customers_params ON COMMIT DROP AS
SELECT m.id AS merchant_id,
       COALESCE(s.new_days, %(d_new_days)s) AS new_days,
       COALESCE(s.regular_days, %(d_regular_days)s) AS regular_days,
       COALESCE(s.regular_min_orders, %(d_regular_min_orders)s) AS regular_min_orders,
       COALESCE(s.high_value_percent, %(d_high_value_percent)s) AS high_value_percent,
       COALESCE(s.at_risk_days, %(d_at_risk_days)s) AS at_risk_days,
       COALESCE(s.lost_days, %(d_lost_days)s) AS lost_days
FROM "{merchant}" m LEFT JOIN "{settings}" s ON s.merchant_id = m.id
WHERE m.id = ANY(%(merchants)s)
"""

AGGREGATE_SQL = """
CREATE TEMP TABLE customers_agg ON COMMIT DROP AS
WITH paid AS (
    SELECT st.merchant_id, o.shopper_id, so.id AS suborder_id, so.store_id, so.paid_at, so.payable
    FROM "{suborder}" so
    JOIN "{store}" st ON st.id = so.store_id
    JOIN "{order}" o ON o.id = so.order_id
    WHERE so.paid_at IS NOT NULL AND st.merchant_id = ANY(%(merchants)s) {shopper_filter_o}
), units AS (
    SELECT l.suborder_id, SUM(l.quantity) AS units
    FROM "{line}" l JOIN paid p ON p.suborder_id = l.suborder_id
    GROUP BY l.suborder_id
), refunded AS (
    SELECT r.suborder_id, SUM(r.amount) AS amount
    FROM "{refund}" r JOIN paid p ON p.suborder_id = r.suborder_id
    WHERE r.status = %(refunded_status)s
    GROUP BY r.suborder_id
), bought AS (
    SELECT p.merchant_id, p.shopper_id,
           MIN(p.paid_at) AS first_order_at,
           MAX(p.paid_at) AS last_order_at,
           COUNT(*) AS orders,
           COUNT(*) FILTER (WHERE p.paid_at >= {regular_cutoff}) AS recent_orders,
           COALESCE(SUM(u.units), 0) AS units,
           SUM(p.payable) AS gross,
           COALESCE(SUM(r.amount), 0) AS refunded,
           COUNT(r.suborder_id) AS refunded_orders,
           ARRAY_AGG(DISTINCT p.store_id ORDER BY p.store_id) AS store_ids
    FROM paid p
    JOIN customers_params pr ON pr.merchant_id = p.merchant_id
    LEFT JOIN units u ON u.suborder_id = p.suborder_id
    LEFT JOIN refunded r ON r.suborder_id = p.suborder_id
    GROUP BY p.merchant_id, p.shopper_id
), followed AS (
    SELECT DISTINCT st.merchant_id, f.shopper_id
    FROM "{follow}" f JOIN "{store}" st ON st.id = f.store_id
    WHERE st.merchant_id = ANY(%(merchants)s) {shopper_filter_f}
)
SELECT COALESCE(b.merchant_id, f.merchant_id) AS merchant_id,
       COALESCE(b.shopper_id, f.shopper_id) AS shopper_id,
       b.first_order_at, b.last_order_at,
       COALESCE(b.orders, 0) AS orders,
       COALESCE(b.recent_orders, 0) AS recent_orders,
       COALESCE(b.units, 0) AS units,
       COALESCE(b.gross, 0) AS gross,
       COALESCE(b.refunded, 0) AS refunded,
       GREATEST(COALESCE(b.gross, 0) - COALESCE(b.refunded, 0), 0) AS spend,
       COALESCE(b.refunded_orders, 0) AS refunded_orders,
       COALESCE(b.store_ids, ARRAY[]::bigint[]) AS store_ids,
       f.shopper_id IS NOT NULL AS is_follower
FROM bought b FULL OUTER JOIN followed f ON f.merchant_id = b.merchant_id AND f.shopper_id = b.shopper_id
"""

# The spend from which a customer is high value: the ceil(n * percent / 100)-th largest spend among buyers.
THRESHOLD_SQL = """
CREATE TEMP TABLE customers_threshold ON COMMIT DROP AS
WITH ranked AS (
    SELECT c.merchant_id, c.spend,
           ROW_NUMBER() OVER (PARTITION BY c.merchant_id ORDER BY c.spend DESC) AS position,
           COUNT(*) OVER (PARTITION BY c.merchant_id) AS buyers
    FROM {source} c
    WHERE c.merchant_id = ANY(%(merchants)s) AND c.orders > 0 AND c.spend > 0
)
SELECT r.merchant_id, r.spend AS min_spend
FROM ranked r JOIN customers_params pr ON pr.merchant_id = r.merchant_id
WHERE r.position = GREATEST(CEIL(r.buyers * pr.high_value_percent / 100.0)::int, 1)
"""

DELETE_SQL = """
DELETE FROM "{customer}" c
WHERE c.merchant_id = ANY(%(merchants)s) {shopper_filter_c}
  AND NOT EXISTS (SELECT 1 FROM customers_agg a WHERE a.merchant_id = c.merchant_id AND a.shopper_id = c.shopper_id)
"""

# An unchanged customer is not rewritten (most rows, night after night): no dead tuples, no index churn, and
# computed_at keeps the time the row last changed.
UPSERT_SQL = """
INSERT INTO "{customer}" AS c (
    merchant_id, shopper_id, first_order_at, last_order_at, orders, recent_orders, units, gross, refunded, spend,
    refunded_orders, store_ids, is_follower, is_new, is_regular, is_high_value, is_at_risk, is_lost,
    is_follower_only, computed_at
)
SELECT a.merchant_id, a.shopper_id, a.first_order_at, a.last_order_at, a.orders, a.recent_orders, a.units,
       a.gross, a.refunded, a.spend, a.refunded_orders, a.store_ids, a.is_follower,
       a.orders > 0 AND a.first_order_at >= {new_cutoff},
       a.recent_orders >= pr.regular_min_orders,
       a.orders > 0 AND a.spend > 0 AND t.min_spend IS NOT NULL AND a.spend >= t.min_spend,
       a.orders >= pr.regular_min_orders AND a.last_order_at < {at_risk_cutoff} AND a.last_order_at >= {lost_cutoff},
       a.orders > 0 AND a.last_order_at < {lost_cutoff},
       a.orders = 0 AND a.is_follower,
       %(now)s
FROM customers_agg a
JOIN customers_params pr ON pr.merchant_id = a.merchant_id
LEFT JOIN customers_threshold t ON t.merchant_id = a.merchant_id
ORDER BY a.merchant_id, a.shopper_id
ON CONFLICT (merchant_id, shopper_id) DO UPDATE SET
    first_order_at = EXCLUDED.first_order_at, last_order_at = EXCLUDED.last_order_at, orders = EXCLUDED.orders,
    recent_orders = EXCLUDED.recent_orders, units = EXCLUDED.units, gross = EXCLUDED.gross,
    refunded = EXCLUDED.refunded, spend = EXCLUDED.spend, refunded_orders = EXCLUDED.refunded_orders,
    store_ids = EXCLUDED.store_ids, is_follower = EXCLUDED.is_follower, is_new = EXCLUDED.is_new,
    is_regular = EXCLUDED.is_regular, is_high_value = EXCLUDED.is_high_value, is_at_risk = EXCLUDED.is_at_risk,
    is_lost = EXCLUDED.is_lost, is_follower_only = EXCLUDED.is_follower_only, computed_at = EXCLUDED.computed_at
WHERE (c.first_order_at, c.last_order_at, c.orders, c.recent_orders, c.units, c.gross, c.refunded, c.spend,
       c.refunded_orders, c.store_ids, c.is_follower, c.is_new, c.is_regular, c.is_high_value, c.is_at_risk,
       c.is_lost, c.is_follower_only)
      IS DISTINCT FROM
      (EXCLUDED.first_order_at, EXCLUDED.last_order_at, EXCLUDED.orders, EXCLUDED.recent_orders, EXCLUDED.units,
       EXCLUDED.gross, EXCLUDED.refunded, EXCLUDED.spend, EXCLUDED.refunded_orders, EXCLUDED.store_ids,
       EXCLUDED.is_follower, EXCLUDED.is_new, EXCLUDED.is_regular, EXCLUDED.is_high_value, EXCLUDED.is_at_risk,
       EXCLUDED.is_lost, EXCLUDED.is_follower_only)
"""

SNAPSHOT_SQL = """
INSERT INTO "{snapshot}" (merchant_id, day, customers, new, regular, high_value, at_risk, lost, follower)
SELECT pr.merchant_id, %(today)s,
       COUNT(c.id) FILTER (WHERE c.orders > 0),
       COUNT(c.id) FILTER (WHERE c.is_new), COUNT(c.id) FILTER (WHERE c.is_regular),
       COUNT(c.id) FILTER (WHERE c.is_high_value), COUNT(c.id) FILTER (WHERE c.is_at_risk),
       COUNT(c.id) FILTER (WHERE c.is_lost), COUNT(c.id) FILTER (WHERE c.is_follower_only)
FROM customers_params pr LEFT JOIN "{customer}" c ON c.merchant_id = pr.merchant_id
GROUP BY pr.merchant_id
ON CONFLICT (merchant_id, day) DO UPDATE SET
    customers = EXCLUDED.customers, new = EXCLUDED.new, regular = EXCLUDED.regular,
    high_value = EXCLUDED.high_value, at_risk = EXCLUDED.at_risk, lost = EXCLUDED.lost, follower = EXCLUDED.follower
"""

SETTINGS_SQL = """
INSERT INTO "{settings}" (merchant_id, new_days, regular_days, regular_min_orders, high_value_percent, at_risk_days,
                          lost_days, high_value_min_spend, computed_at, updated_at)
SELECT pr.merchant_id, pr.new_days, pr.regular_days, pr.regular_min_orders, pr.high_value_percent, pr.at_risk_days,
       pr.lost_days, t.min_spend, %(now)s, %(now)s
FROM customers_params pr LEFT JOIN customers_threshold t ON t.merchant_id = pr.merchant_id
ON CONFLICT (merchant_id) DO UPDATE SET high_value_min_spend = EXCLUDED.high_value_min_spend,
                                        computed_at = EXCLUDED.computed_at
"""


def _sql(template: str, *, shoppers: bool, source: str = "customers_agg") -> str:
    names = tables()
    return template.format(
        **names,
        source=source if source == "customers_agg" else f'"{names["customer"]}"',
        shopper_filter_o="AND o.shopper_id = ANY(%(shoppers)s)" if shoppers else "",
        shopper_filter_f="AND f.shopper_id = ANY(%(shoppers)s)" if shoppers else "",
        shopper_filter_c="AND c.shopper_id = ANY(%(shoppers)s)" if shoppers else "",
        new_cutoff=cutoff("pr.new_days"),
        regular_cutoff=cutoff("pr.regular_days"),
        at_risk_cutoff=cutoff("pr.at_risk_days"),
        lost_cutoff=cutoff("pr.lost_days"),
    )


def _params(merchant_ids: list[int], shopper_ids: list[int] | None, now: datetime.datetime) -> dict:
    return {
        "merchants": merchant_ids,
        "shoppers": shopper_ids or [],
        "now": now,
        "today": timezone.localdate(now),
        "tz": settings.TIME_ZONE,
        "refunded_status": RefundRequest.Status.REFUNDED,
        **{f"d_{name}": value for name, value in DEFAULTS.items()},
    }


def recompute(merchant_ids: Iterable[int] | None = None, *, now: datetime.datetime | None = None) -> int:
    """Rebuild every customer row and segment of the merchants (all merchants when None), record the day's
    snapshot. Returns how many customer rows the merchants have afterwards."""
    now = now or timezone.now()
    if merchant_ids is None:
        merchant_ids = Merchant.objects.values_list("pk", flat=True)
    merchants = sorted({int(pk) for pk in merchant_ids})
    if not merchants:
        return 0
    params = _params(merchants, None, now)
    with transaction.atomic(), connection.cursor() as cursor:
        for merchant_id in merchants:  # in id order: two full runs queue instead of deadlocking
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, merchant_id])
        cursor.execute(DROP_SQL)  # inside a caller's longer transaction, an earlier run's tables are still there
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the per-shopper sorts stay in memory
        cursor.execute(_sql(PARAMS_SQL, shoppers=False), params)
        cursor.execute(_sql(AGGREGATE_SQL, shoppers=False), params)
        cursor.execute("ANALYZE customers_agg")  # temporary tables get no statistics otherwise
        cursor.execute(_sql(THRESHOLD_SQL, shoppers=False), params)
        cursor.execute(_sql(DELETE_SQL, shoppers=False), params)
        cursor.execute(_sql(UPSERT_SQL, shoppers=False), params)
        cursor.execute(_sql(SNAPSHOT_SQL, shoppers=False), params)
        cursor.execute(_sql(SETTINGS_SQL, shoppers=False), params)
        cursor.execute("SELECT COUNT(*) FROM customers_agg")
        return cursor.fetchone()[0]


def refresh_shoppers(merchant_ids: Iterable[int], shopper_ids: Iterable[int], *, now=None) -> None:
    """Bring a few shoppers' rows up to date (after a payment, a refund or a follow). The high-value threshold
    comes from the merchants' current customer rows; other shoppers' segments wait for the next full run."""
    now = now or timezone.now()
    merchants, shoppers = sorted({int(m) for m in merchant_ids}), sorted({int(s) for s in shopper_ids})
    if not merchants or not shoppers:
        return
    params = _params(merchants, shoppers, now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DROP_SQL)
        cursor.execute(_sql(PARAMS_SQL, shoppers=True), params)
        cursor.execute(_sql(AGGREGATE_SQL, shoppers=True), params)
        cursor.execute(_sql(THRESHOLD_SQL, shoppers=True, source="customer"), params)
        cursor.execute(_sql(DELETE_SQL, shoppers=True), params)
        cursor.execute(_sql(UPSERT_SQL, shoppers=True), params)


def refresh_after_commit(merchant_ids: Iterable[int], shopper_ids: Iterable[int]) -> None:
    """Schedule refresh_shoppers once the caller's transaction commits; a failure there is logged, never raised
    into the payment or follow that caused it (the nightly run repairs the rows)."""
    merchants, shoppers = list(merchant_ids), list(shopper_ids)
    transaction.on_commit(lambda: _refresh_or_log(merchants, shoppers))


def _refresh_or_log(merchants: list[int], shoppers: list[int]) -> None:
    try:
        refresh_shoppers(merchants, shoppers)
    except Exception:  # derived data: the nightly recompute rebuilds it
        log.exception("customer refresh failed for merchants %s shoppers %s", merchants, shoppers)


def refresh_suborder_customer_after_commit(suborder_id: int) -> None:
    """A sub-order was paid or closed: refresh its shopper at its merchant once the caller commits. The lookup
    waits for the commit too, so a batch closing many sub-orders adds no statement to its transaction."""

    def run():
        row = SubOrder.objects.filter(pk=suborder_id).values_list("store__merchant_id", "order__shopper_id").first()
        if row is not None:
            _refresh_or_log([row[0]], [row[1]])

    transaction.on_commit(run)


def ensure_fresh(merchant_id: int, *, now=None) -> None:
    """A merchant never recomputed today gets a full run now (new merchants, a missed nightly run)."""
    now = now or timezone.now()
    computed_at = SegmentSettings.objects.filter(merchant_id=merchant_id).values_list("computed_at", flat=True).first()
    if computed_at is None or timezone.localdate(computed_at) != timezone.localdate(now) or computed_at > now:
        recompute([merchant_id], now=now)


@transaction.atomic
def save_settings(merchant_id: int, data: dict) -> SegmentSettings:
    """Edit a merchant's segment parameters (validated by the caller's form/serializer), then recompute."""
    instance = locked_segment_settings(merchant_id)
    for field, value in data.items():
        setattr(instance, field, value)
    if instance.lost_days <= instance.at_risk_days:
        raise DomainError(_("“Lost” must take more days without an order than “at risk”."), code="invalid_days")
    instance.save()
    recompute([merchant_id])
    return instance
