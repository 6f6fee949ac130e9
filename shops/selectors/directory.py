"""Cached directories the storefront reads on every page: the category tree, the stores (open or not, brand,
card details) and today's holiday closures. None of them joins or queries per product."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from shops import caching
from shops.models import Brand, Category, Product, Store, StoreClosure

CATEGORY_TREE_CACHE_KEY = caching.CATEGORY_TREE_KEY


# --- categories (cached tree) ---------------------------------------------------------------------------------


def category_tree() -> list[dict]:
    """Every category as a plain dict with its children ids; cached until a category changes (read-only: the rows
    are shared by every request of this process)."""
    return caching.per_version("category-tree", _category_tree, shared=False)


def _category_tree() -> list[dict]:
    tree = cache.get(CATEGORY_TREE_CACHE_KEY)
    if tree is None:
        rows = list(Category.objects.values("id", "parent_id", "vertical_id", "name", "name_en", "slug", "position"))
        by_id = {row["id"]: {**row, "children": []} for row in rows}
        for row in by_id.values():
            if row["parent_id"] in by_id:
                by_id[row["parent_id"]]["children"].append(row["id"])
        tree = list(by_id.values())
        cache.set(CATEGORY_TREE_CACHE_KEY, tree, 3600)
    return tree


def categories_by_id() -> dict[int, dict]:
    return caching.per_version("categories-by-id", lambda: {row["id"]: row for row in category_tree()}, shared=False)


def verticals() -> list[dict]:
    nodes = categories_by_id()
    tops = [row for row in nodes.values() if row["parent_id"] is None]
    tops.sort(key=lambda row: (row["position"], row["id"]))
    return [{**row, "subcategories": [nodes[c] for c in row["children"]]} for row in tops]


def category_by_slug(slug: str) -> dict | None:
    return next((row for row in category_tree() if row["slug"] == slug), None)


def descendant_ids(category_id: int) -> list[int]:
    nodes = categories_by_id()
    found, stack = [], [category_id]
    while stack:
        current = stack.pop()
        if current in nodes:
            found.append(current)
            stack.extend(nodes[current]["children"])
    return found


def category_path(category_id: int) -> list[dict]:
    nodes = categories_by_id()
    path = []
    while category_id in nodes:
        path.insert(0, nodes[category_id])
        category_id = nodes[category_id]["parent_id"]
    return path


# --- stores -------------------------------------------------------------------------------------------------


STORE_CARD_FIELDS = ("id", "name", "slug", "brand", "status", "rating")


def store_directory() -> dict:
    """Store ids that are not open ("hidden": pending Tmall, suspended), open store ids per brand, and what a
    product card shows of each store. Cached and small, so listings never join or query the stores table."""
    # Forgetting the directory bumps the catalog version too, so this process's copy is dropped with it.
    return caching.per_version("store-directory", _store_directory, shared=False)


def _store_directory() -> dict:
    directory = cache.get(caching.HIDDEN_STORES_KEY)
    if directory is None:
        directory = {"hidden": [], "cards": {}, **{brand: [] for brand in Brand.values}}
        for row in Store.objects.values(*STORE_CARD_FIELDS).order_by("pk"):
            directory["hidden" if row["status"] != Store.Status.OPEN else row["brand"]].append(row["id"])
            directory["cards"][row["id"]] = row
        cache.set(caching.HIDDEN_STORES_KEY, directory, 300)
    return directory


def attach_stores(products: list[Product]) -> list[Product]:
    """Give each product its store for display (name, brand, slug) from the cached directory, without a query."""
    cards = store_directory()["cards"]
    missing = {product.store_id for product in products if product.store_id not in cards}
    if missing:  # a store created since the directory was cached
        cards = {**cards, **{row["id"]: row for row in Store.objects.filter(pk__in=missing).values(*STORE_CARD_FIELDS)}}
    stores = {}
    for product in products:
        if product.store_id not in stores:
            stores[product.store_id] = Store(**cards[product.store_id])
        product.store = stores[product.store_id]
    return products


def hidden_store_ids() -> list[int]:
    return store_directory()["hidden"]


def visible_products() -> QuerySet[Product]:
    """Products shoppers can see: on sale, in an open store (closed-for-holiday stores stay visible)."""
    products = Product.objects.filter(status=Product.Status.ACTIVE)
    hidden = hidden_store_ids()
    return products.exclude(store_id__in=hidden) if hidden else products


def is_visible(product: Product) -> bool:
    """``visible_products`` for one product already read."""
    return product.status == Product.Status.ACTIVE and product.store_id not in hidden_store_ids()


# Columns a product card needs; the wide ones (description, search tokens, tsvector) stay on disk.


# --- holiday closures ---------------------------------------------------------------------------------------


def closures_for(store_ids, on: datetime.date | None = None) -> dict[int, StoreClosure]:
    """store id -> the closure covering `on` (default today). Today's closures of all stores are one small cached
    query (closure writes bump the catalog version), so listings and product pages do not query them."""
    today = timezone.localdate()
    on = on or today
    if on == today:
        active = caching.per_version("closures", lambda: _closures_on(StoreClosure.objects.all(), on), on.isoformat())
    else:
        active = _closures_on(StoreClosure.objects.filter(store_id__in=set(store_ids)), on)
    wanted = set(store_ids)
    return {store_id: closure for store_id, closure in active.items() if store_id in wanted}


def _closures_on(closures, on: datetime.date) -> dict[int, StoreClosure]:
    found: dict[int, StoreClosure] = {}
    for closure in closures.filter(starts_on__lte=on, ends_on__gte=on):
        current = found.get(closure.store_id)
        if current is None or closure.ends_on > current.ends_on:
            found[closure.store_id] = closure
    return found


def annotate_closures(products, on: datetime.date | None = None) -> list[Product]:
    """Attach `.closure` (or None) to each product of a page so cards can say "closed until ..."."""
    products = list(products)
    closures = closures_for((product.store_id for product in products), on)
    for product in products:
        product.closure = closures.get(product.store_id)
    return products
