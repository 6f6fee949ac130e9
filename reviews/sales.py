"""Real monthly sales (月销) and the "recommended" rank.

``Product.sales_count`` = units paid in the last 30 days minus the units of those orders refunded since.
``Product.recommend_score`` = sales_count weighted by the store's DSR: x (mean of the three DSR figures / 5), or
x 0.9 while the store is below the rating floor (a new store is neither rewarded nor punished much).
Set-based statements; only rows whose figures changed are written.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from reviews import rules

STORE_FACTOR = """COALESCE((
    SELECT (rating.description + rating.service + rating.logistics) / 15.0
    FROM shops_storerating rating
    WHERE rating.store_id = product.store_id AND rating.description IS NOT NULL
), 0.9)"""  # 0.9: the neutral factor of a store below the rating floor

SALES_SQL = """
WITH paid AS (
    SELECT sku.product_id, SUM(line.quantity) AS units
    FROM orders_orderline line
    JOIN orders_suborder sub ON sub.id = line.suborder_id
    JOIN shops_sku sku ON sku.id = line.sku_id
    WHERE sub.paid_at > %(since)s AND sub.paid_at <= %(now)s {product_filter_paid}
    GROUP BY sku.product_id
), refunded AS (
    SELECT sku.product_id, SUM(refund_line.quantity) AS units
    FROM refunds_refundline refund_line
    JOIN refunds_refundrequest request ON request.id = refund_line.request_id
    JOIN orders_orderline line ON line.id = refund_line.order_line_id
    JOIN orders_suborder sub ON sub.id = line.suborder_id
    JOIN shops_sku sku ON sku.id = line.sku_id
    WHERE request.status = 'refunded' AND sub.paid_at > %(since)s AND sub.paid_at <= %(now)s
      {product_filter_refunded}
    GROUP BY sku.product_id
), units AS (
    SELECT product.id AS product_id,
           GREATEST(COALESCE(paid.units, 0) - COALESCE(refunded.units, 0), 0) AS units,
           {store_factor} AS factor
    FROM shops_product product
    LEFT JOIN paid ON paid.product_id = product.id
    LEFT JOIN refunded ON refunded.product_id = product.id
    WHERE (paid.product_id IS NOT NULL OR product.sales_count <> 0 OR product.recommend_score <> 0)
      {product_filter_products}
), figures AS (
    SELECT product_id, units, ROUND(units * factor)::integer AS score FROM units
)
UPDATE shops_product product SET sales_count = figures.units, recommend_score = figures.score
FROM figures
WHERE product.id = figures.product_id
  AND (product.sales_count <> figures.units OR product.recommend_score <> figures.score)
"""

RESCORE_SQL = """
UPDATE shops_product product SET recommend_score = ROUND(product.sales_count * {store_factor})::integer
WHERE product.store_id = ANY(%(stores)s)
  AND product.recommend_score <> ROUND(product.sales_count * {store_factor})::integer
"""


def recompute(product_ids=None, now: datetime.datetime | None = None) -> int:
    """Recompute the figures of ``product_ids`` (None: every product). Returns the number of rows changed."""
    now = now or timezone.now()
    params: dict = {"since": now - rules.SALES_WINDOW, "now": now}
    filters = {"product_filter_paid": "", "product_filter_refunded": "", "product_filter_products": ""}
    if product_ids is not None:
        params["ids"] = list(product_ids)
        if not params["ids"]:
            return 0
        filters = {
            "product_filter_paid": "AND sku.product_id = ANY(%(ids)s)",
            "product_filter_refunded": "AND sku.product_id = ANY(%(ids)s)",
            "product_filter_products": "AND product.id = ANY(%(ids)s)",
        }
    with connection.cursor() as cursor:
        cursor.execute(SALES_SQL.format(store_factor=STORE_FACTOR, **filters), params)
        return cursor.rowcount


def rescore_stores(store_ids) -> int:
    """The stores' DSR moved: re-rank their products (sales unchanged)."""
    store_ids = list(store_ids)
    if not store_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(RESCORE_SQL.format(store_factor=STORE_FACTOR), {"stores": store_ids})
        return cursor.rowcount
