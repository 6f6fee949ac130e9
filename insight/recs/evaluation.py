"""Offline evaluation: hold out each shopper's last purchased product, train without it, and score the top 10
against it (hit-rate@10, NDCG@10), for the co-occurrence model and for a popularity baseline."""

from __future__ import annotations

import math

from django.db import connection, transaction

from insight.recs import serving, training

LAST_PURCHASES = """
SELECT DISTINCT ON (o.shopper_id) o.shopper_id, sku.product_id
FROM orders_orderline l JOIN orders_suborder so ON so.id = l.suborder_id
JOIN orders_order o ON o.id = so.order_id JOIN shops_sku sku ON sku.id = l.sku_id
WHERE so.paid_at IS NOT NULL
ORDER BY o.shopper_id, so.paid_at DESC, l.id DESC
"""

HISTORY = """
SELECT o.shopper_id, sku.product_id, MAX(so.paid_at) FROM orders_orderline l
JOIN orders_suborder so ON so.id = l.suborder_id JOIN orders_order o ON o.id = so.order_id
JOIN shops_sku sku ON sku.id = l.sku_id WHERE so.paid_at IS NOT NULL AND o.shopper_id = ANY(%s)
GROUP BY 1, 2 ORDER BY 1, 3 DESC
"""


def _ndcg(ranked: list[int], target: int, k: int = 10) -> float:
    return next((1 / math.log2(i + 2) for i, pk in enumerate(ranked[:k]) if pk == target), 0.0)


def evaluate(max_shoppers: int = 2000, k: int = 10) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(LAST_PURCHASES)
        held = cursor.fetchall()[:max_shoppers]
        cursor.execute(HISTORY, [[shopper for shopper, _ in held]])
        rows = cursor.fetchall()
    target = dict(held)
    seeds: dict[int, list[int]] = {}
    for shopper, product, _at in rows:
        if product != target[shopper]:
            seeds.setdefault(shopper, []).append(product)
    scores = {"model": [0, 0.0], "popularity": [0, 0.0]}
    evaluated = 0
    with transaction.atomic():
        sid = transaction.savepoint()
        training.train(exclude={"bought": held})
        popular = list(dict.fromkeys(serving.popular()))
        for shopper, product in held:
            history = seeds.get(shopper, [])
            if not history:
                continue  # nothing left to recommend from
            evaluated += 1
            neighbor = serving.neighbor_scores(history[: serving.SEEDS])
            ranked = [pk for pk, _ in sorted(neighbor.items(), key=lambda kv: (-kv[1], kv[0])) if pk not in history]
            ranked += [pk for pk in popular if pk not in neighbor and pk not in history]
            baseline = [pk for pk in popular if pk not in history]
            for name, ranking in (("model", ranked), ("popularity", baseline)):
                scores[name][0] += int(product in ranking[:k])
                scores[name][1] += _ndcg(ranking, product, k)
        transaction.savepoint_rollback(sid)  # the held-out training never replaces the served tables
    n = evaluated or 1
    return {"shoppers": evaluated, **{f"{name}_hit_rate": hits / n for name, (hits, _) in scores.items()},
            **{f"{name}_ndcg": ndcg / n for name, (_, ndcg) in scores.items()}}  # fmt: skip
