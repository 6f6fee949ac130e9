"""Serving recommendations (千人千面) from the precomputed tables, filtered at read time so that nothing sold out,
inactive, or from a closed (not open, or on a holiday closure) store is ever shown.

Contexts: "home" (猜你喜欢: neighbours of what the shopper viewed and bought recently), "product" (看了又看 /
买了又买 of one product), "cart" (neighbours of the cart's products). Cold start: popular in the categories the
shopper looked at, then popular overall.

Home reads the shopper's list ranked by the last training (ShopperPicks) and adds the neighbours of what they
bought or viewed since, so a page costs one row and the filter of what may be shown; a shopper training has not
ranked yet (new, or just back) is ranked here from their history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from insight.models import Event, EventOptOut, ItemNeighbor, PopularProduct, ShopperPicks
from shops.models import Category, Product
from shops.selectors import attach_stores, closures_for, in_stock_expression, visible_products

CONTEXTS = ("home", "product", "cart")
HISTORY_DAYS = 60
SEEDS = 20
NEIGHBOR_WEIGHTS = {"bought": 2.0, "viewed": 1.0}
PICKS_PER_SHOPPER = 60


def recent_products(user) -> list[int]:
    """Products the shopper viewed or bought recently, newest first (nothing for opted-out shoppers)."""
    if user is None or not user.is_authenticated or EventOptOut.objects.filter(user=user).exists():
        return []
    since = timezone.now() - datetime.timedelta(days=HISTORY_DAYS)
    viewed = list(
        Event.objects.filter(visitor=f"u{user.pk}", at__gte=since, product_id__isnull=False)
        .order_by("-at")
        .values_list("product_id", flat=True)[:100]
    )
    from orders.models import Order, OrderLine

    # The shopper's recent orders first (indexed by shopper), then their lines: filtering the lines through the
    # three-table join let PostgreSQL walk every paid sub-order by date (~40 ms at a million lines).
    orders = list(
        Order.objects.filter(shopper=user, paid_at__gte=since).order_by("-paid_at").values_list("pk", flat=True)[:20]
    )
    rank = {order_id: position for position, order_id in enumerate(orders)}
    lines = OrderLine.objects.filter(suborder__order_id__in=orders).values_list("suborder__order_id", "sku__product_id")
    bought = [product_id for _order, product_id in sorted(lines, key=lambda row: rank[row[0]])][:50]
    seen, ordered = set(), []
    for product_id in bought + viewed:
        if product_id not in seen:
            seen.add(product_id)
            ordered.append(product_id)
    return ordered[:SEEDS]


def neighbor_scores(product_ids, kinds=("viewed", "bought")) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for neighbor_id, kind, score in ItemNeighbor.objects.filter(product_id__in=product_ids, kind__in=kinds).values_list(
        "neighbor_id", "kind", "score"
    ):
        scores[neighbor_id] += NEIGHBOR_WEIGHTS[kind] * score
    return scores


def trained_home(user) -> tuple[dict[int, float], list[int]] | None:
    """(neighbour -> score, seed categories) from the shopper's trained list plus what they did since it was
    ranked, in one query (and one more when they did something); None when there is no list to start from."""
    if user is None or not user.is_authenticated:
        return None
    from orders.models import OrderLine

    since = OuterRef("computed_at")
    row = (
        ShopperPicks.objects.filter(user=user)
        .annotate(
            opted_out=Exists(EventOptOut.objects.filter(user=user)),
            viewed_since=ArraySubquery(
                Event.objects.filter(visitor=f"u{user.pk}", at__gte=since, product_id__isnull=False)
                .order_by("-at")
                .values("product_id")[:SEEDS]
            ),
            bought_since=ArraySubquery(
                OrderLine.objects.filter(suborder__order__shopper=user, suborder__order__paid_at__gte=since)
                .order_by("-suborder__order__paid_at")
                .values("sku__product_id")[:SEEDS]
            ),
        )
        .values_list("product_ids", "scores", "category_ids", "opted_out", "viewed_since", "bought_since")
        .first()
    )
    if row is None or row[3]:
        return None
    product_ids, trained_scores, category_ids, _opted_out, viewed_since, bought_since = row
    scores: dict[int, float] = defaultdict(float, zip(product_ids, trained_scores, strict=True))
    fresh = list(dict.fromkeys(bought_since + viewed_since))[:SEEDS]
    if fresh:
        for neighbor_id, score in neighbor_scores(fresh).items():
            scores[neighbor_id] += score
    return scores, category_ids


def popular(category_ids=(), limit: int = 60) -> list[int]:
    verticals = set()
    if category_ids:
        for category_id, vertical_id in Category.objects.filter(pk__in=set(category_ids)).values_list(
            "pk", "vertical_id"
        ):
            verticals.add(vertical_id or category_id)
    ordered = []
    if verticals:
        ordered = list(
            PopularProduct.objects.filter(category_id__in=verticals)
            .order_by("-score", "-product_id")
            .values_list("product_id", flat=True)[:limit]
        )
    ordered += list(
        PopularProduct.objects.filter(category__isnull=True)
        .order_by("-score", "-product_id")
        .values_list("product_id", flat=True)[:limit]
    )
    return ordered


def showable(product_ids, limit: int) -> list[Product]:
    """Keep the order of `product_ids`, dropping what may not be shown; the stores attached for display."""
    if not product_ids:
        return []
    candidates = list(dict.fromkeys(product_ids))[: limit * 4]
    rows = {
        product.pk: product
        for product in visible_products().filter(pk__in=candidates).filter(in_stock_expression())
        .only("id", "store_id", "category_id", "title", "title_en", "image", "status", "featured", "sales_count",
              "min_price", "created_at")
    }  # fmt: skip
    closed = closures_for({product.store_id for product in rows.values()})
    kept = [rows[pk] for pk in candidates if pk in rows and rows[pk].store_id not in closed][:limit]
    return attach_stores(kept)


def recommend(context: str, *, user=None, product_id: int | None = None, cart_product_ids=(), limit: int = 12,
              kinds=("viewed", "bought")) -> list[Product]:  # fmt: skip
    exclude: set[int] = set()
    categories: list[int] = []
    if context == "product" and product_id:
        seeds = [product_id]
        exclude.add(product_id)
        categories = list(Product.objects.filter(pk=product_id).values_list("category_id", flat=True))
    elif context == "cart":
        seeds = list(cart_product_ids)
        exclude.update(seeds)
    else:
        trained = trained_home(user)
        if trained is not None:
            scores, categories = trained
            return showable(ranked_with_popular(scores, categories, exclude, limit), limit)
        seeds = recent_products(user)
    if seeds and not categories:
        categories = list(Product.objects.filter(pk__in=seeds).values_list("category_id", flat=True).distinct())
    scores = neighbor_scores(seeds, kinds) if seeds else {}
    return showable(ranked_with_popular(scores, categories, exclude, limit), limit)


def ranked_with_popular(scores: dict[int, float], categories, exclude: set[int], limit: int) -> list[int]:
    """Best scored first; topped up with what is popular in `categories` when too few to fill a page after the
    filter of what may be shown."""
    ranked = [pk for pk, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])) if pk not in exclude]
    if len(ranked) < limit * 2:
        ranked += [pk for pk in popular(categories) if pk not in exclude and pk not in scores]
    return ranked


def cart_products(user=None, session_key: str | None = None) -> list[int]:
    from orders.models import CartItem

    query = Q(cart__shopper=user) if user is not None and user.is_authenticated else Q(cart__session_key=session_key)
    if not (user is not None and user.is_authenticated) and not session_key:
        return []
    return list(CartItem.objects.filter(query).values_list("sku__product_id", flat=True).distinct())
