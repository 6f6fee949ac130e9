"""Item-item co-occurrence trained in SQL (cosine over shoppers/visitors), written to ItemNeighbor, popularity per
top-level category (PopularProduct) for cold start, and each recently active shopper's ranked home list
(ShopperPicks) from those neighbours. Run by the worker (tasks.train_recommendations)."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

NEIGHBORS_PER_ITEM = 30
POPULAR_PER_CATEGORY = 100
MAX_ITEMS_PER_USER = 50  # the most recent ones: keeps the pair self-join bounded for heavy users

BOUGHT_BASKETS = """
SELECT u, p FROM (
    SELECT o.shopper_id::text AS u, sku.product_id AS p, MAX(so.paid_at) AS last,
           ROW_NUMBER() OVER (PARTITION BY o.shopper_id ORDER BY MAX(so.paid_at) DESC) AS rn
    FROM orders_orderline l
    JOIN orders_suborder so ON so.id = l.suborder_id
    JOIN orders_order o ON o.id = so.order_id
    JOIN shops_sku sku ON sku.id = l.sku_id
    WHERE so.paid_at >= %(since)s AND so.paid_at < %(until)s {exclude}
    GROUP BY o.shopper_id, sku.product_id
) recent WHERE rn <= %(cap)s
"""

VIEWED_BASKETS = """
SELECT u, p FROM (
    SELECT visitor AS u, product_id AS p, ROW_NUMBER() OVER (PARTITION BY visitor ORDER BY MAX(at) DESC) AS rn
    FROM insight_event
    WHERE kind = 'product_view' AND product_id IS NOT NULL AND at >= %(since)s AND at < %(until)s {exclude}
    GROUP BY visitor, product_id
) recent WHERE rn <= %(cap)s
"""

COOCCURRENCE = """
INSERT INTO insight_itemneighbor (kind, product_id, neighbor_id, score)
WITH baskets AS ({baskets}),
counts AS (SELECT p, COUNT(*) AS n FROM baskets GROUP BY p),
pairs AS (SELECT a.p AS p, b.p AS q, COUNT(*) AS c FROM baskets a JOIN baskets b ON a.u = b.u AND a.p <> b.p
          GROUP BY a.p, b.p),
scored AS (SELECT pairs.p, pairs.q, pairs.c / SQRT(ca.n * cb.n) AS score FROM pairs
           JOIN counts ca ON ca.p = pairs.p JOIN counts cb ON cb.p = pairs.q),
ranked AS (SELECT p, q, score, ROW_NUMBER() OVER (PARTITION BY p ORDER BY score DESC, q) AS rn FROM scored)
SELECT %(kind)s, p, q, score FROM ranked WHERE rn <= %(per_item)s
"""

POPULAR = """
INSERT INTO insight_popularproduct (category_id, product_id, score)
WITH sold AS (
    SELECT sku.product_id AS p, SUM(l.quantity) AS units FROM orders_orderline l
    JOIN orders_suborder so ON so.id = l.suborder_id JOIN shops_sku sku ON sku.id = l.sku_id
    WHERE so.paid_at >= %(since)s AND so.paid_at < %(until)s GROUP BY sku.product_id
),
viewed AS (
    SELECT product_id AS p, COUNT(DISTINCT visitor) AS visitors FROM insight_event
    WHERE kind = 'product_view' AND product_id IS NOT NULL AND at >= %(since)s AND at < %(until)s
    GROUP BY product_id
),
scored AS (
    SELECT pr.id AS p, COALESCE(c.vertical_id, c.id) AS category,
           COALESCE(sold.units, 0) + 0.1 * COALESCE(viewed.visitors, 0) + 0.001 * pr.sales_count AS score
    FROM shops_product pr JOIN shops_category c ON c.id = pr.category_id
    LEFT JOIN sold ON sold.p = pr.id LEFT JOIN viewed ON viewed.p = pr.id
    WHERE pr.status = 'active'
),
per_category AS (SELECT category, p, score, ROW_NUMBER() OVER (PARTITION BY category ORDER BY score DESC, p DESC) rn
                 FROM scored),
overall AS (SELECT NULL::bigint AS category, p, score, ROW_NUMBER() OVER (ORDER BY score DESC, p DESC) rn FROM scored)
SELECT category, p, score FROM per_category WHERE rn <= %(per_category)s
UNION ALL SELECT category, p, score FROM overall WHERE rn <= %(per_category)s
"""


# The home ranking of insight.recs.serving, for every shopper active in the last HISTORY_DAYS at once: seeds are the
# products they bought (newest first) then viewed, at most SEEDS; a neighbour scores the weighted sum of its scores.
SHOPPER_PICKS = """
INSERT INTO insight_shopperpicks (user_id, product_ids, scores, category_ids, computed_at)
WITH activity AS (
    SELECT o.shopper_id AS u, sku.product_id AS p, 0 AS viewed, MAX(o.paid_at) AS last
    FROM orders_order o
    JOIN orders_suborder so ON so.order_id = o.id
    JOIN orders_orderline l ON l.suborder_id = so.id
    JOIN shops_sku sku ON sku.id = l.sku_id
    WHERE o.paid_at >= %(since)s AND o.paid_at < %(until)s
    GROUP BY o.shopper_id, sku.product_id
    UNION ALL
    SELECT user_id, product_id, 1, MAX(at) FROM insight_event
    WHERE user_id IS NOT NULL AND product_id IS NOT NULL AND at >= %(since)s AND at < %(until)s
    GROUP BY user_id, product_id
),
seeds AS (
    SELECT u, p FROM (
        SELECT u, p, ROW_NUMBER() OVER (PARTITION BY u ORDER BY MIN(viewed), MAX(last) DESC, p) AS rn
        FROM activity WHERE u NOT IN (SELECT user_id FROM insight_eventoptout) GROUP BY u, p
    ) numbered WHERE rn <= %(seeds)s
),
scored AS (
    SELECT s.u, n.neighbor_id AS q,
           SUM(n.score * CASE n.kind WHEN 'bought' THEN %(bought_weight)s ELSE %(viewed_weight)s END) AS score
    FROM seeds s JOIN insight_itemneighbor n ON n.product_id = s.p
    GROUP BY s.u, n.neighbor_id
),
ranked AS (SELECT u, q, score, ROW_NUMBER() OVER (PARTITION BY u ORDER BY score DESC, q) AS rn FROM scored),
seed_categories AS (
    SELECT s.u, ARRAY_AGG(DISTINCT pr.category_id) AS ids FROM seeds s JOIN shops_product pr ON pr.id = s.p
    GROUP BY s.u
)
SELECT c.u, COALESCE(ARRAY_AGG(r.q ORDER BY r.rn) FILTER (WHERE r.q IS NOT NULL), '{}'),
       COALESCE(ARRAY_AGG(r.score ORDER BY r.rn) FILTER (WHERE r.q IS NOT NULL), '{}'), c.ids, %(until)s
FROM seed_categories c LEFT JOIN ranked r ON r.u = c.u AND r.rn <= %(per_shopper)s
GROUP BY c.u, c.ids
"""


@transaction.atomic
def train(now: datetime.datetime | None = None, *, exclude: dict | None = None) -> dict:
    """Rebuild ItemNeighbor and PopularProduct from interactions before `now`.

    `exclude` ({"bought": [(shopper_id, product_id)], "viewed": [(visitor, product_id)]}) leaves held-out
    interactions out of training (eval_recs)."""
    now = now or timezone.now()
    params = {
        "until": now,
        "cap": MAX_ITEMS_PER_USER,
        "per_item": NEIGHBORS_PER_ITEM,
        "per_category": POPULAR_PER_CATEGORY,
    }
    exclude = exclude or {}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM insight_itemneighbor")
        cursor.execute("DELETE FROM insight_popularproduct")
        cursor.execute("DELETE FROM insight_shopperpicks")
        for kind, template, days, user_expr, product_expr in (
            ("bought", BOUGHT_BASKETS, 365, "o.shopper_id::text", "sku.product_id"),
            ("viewed", VIEWED_BASKETS, 90, "visitor", "product_id"),
        ):
            held = exclude.get(kind) or []
            clause = ""
            if held:
                # Both expressions are fixed column names above; the held-out pairs are bound parameters.
                clause = (
                    f"AND ({user_expr}, {product_expr}) NOT IN "  # noqa: S608
                    "(SELECT * FROM UNNEST(%(held_u)s::text[], %(held_p)s::bigint[]))"
                )
            baskets = template.format(exclude=clause)
            cursor.execute(
                COOCCURRENCE.format(baskets=baskets),
                {**params, "kind": kind, "since": now - datetime.timedelta(days=days),
                 "held_u": [str(u) for u, _ in held], "held_p": [p for _, p in held]},
            )  # fmt: skip
        cursor.execute(POPULAR, {**params, "since": now - datetime.timedelta(days=30)})
        cursor.execute(SHOPPER_PICKS, shopper_picks_params(now))
        cursor.execute("SELECT kind, COUNT(*) FROM insight_itemneighbor GROUP BY kind")
        counts = dict(cursor.fetchall())
        cursor.execute("SELECT COUNT(*) FROM insight_popularproduct")
        counts["popular"] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM insight_shopperpicks")
        counts["shoppers"] = cursor.fetchone()[0]
    return counts


def shopper_picks_params(now: datetime.datetime) -> dict:
    from insight.recs import serving

    return {
        "since": now - datetime.timedelta(days=serving.HISTORY_DAYS),
        "until": now,
        "seeds": serving.SEEDS,
        "bought_weight": serving.NEIGHBOR_WEIGHTS["bought"],
        "viewed_weight": serving.NEIGHBOR_WEIGHTS["viewed"],
        "per_shopper": serving.PICKS_PER_SHOPPER,
    }
