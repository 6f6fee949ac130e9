"""Reads of stores and the catalog: listings, search, product pages, and whether a SKU can be bought now."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shops import caching, search
from shops.models import SKU, Brand, Category, Outlet, Product, StockLevel, StockPool, Store, StoreClosure

CATEGORY_TREE_CACHE_KEY = caching.CATEGORY_TREE_KEY
# Listings count matches up to this many ("2400+ products", 100 pages): an exact count of a broad search would visit every
# matching row on each page view; nobody pages that far (the storefront shows 24 per page).
COUNT_CAP = 2_400

SORTS = {
    # Recommended = merchandising signals only. Store closures are deliberately NOT an input (docs/SEARCH.md).
    "recommended": ("-featured", "-sales_count", "-id"),
    "price_asc": ("min_price", "id"),
    "price_desc": ("-min_price", "-id"),
    "newest": ("-created_at", "-id"),
    "sales": ("-sales_count", "-id"),
}
SORT_LABELS = {
    "recommended": "Recommended",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "newest": "Newest",
    "sales": "Best selling",
}
TRIGRAM_THRESHOLD = 0.4


# --- categories (cached tree) ---------------------------------------------------------------------------------


def category_tree() -> list[dict]:
    """Every category as a plain dict with its children ids; cached until a category changes."""
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
    return {row["id"]: row for row in category_tree()}


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


# --- catalog listing and search -------------------------------------------------------------------------------


@dataclass
class CatalogFilters:
    q: str = ""
    brand: str = ""
    category: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    sort: str = ""  # "" = relevance when searching, recommended otherwise
    store: int | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params, *, category: int | None = None, store: int | None = None) -> CatalogFilters:
        """From query parameters; bad values are dropped and reported in .errors instead of failing."""
        filters = cls(q=(params.get("q") or "").strip()[:200], category=category, store=store)
        brand = (params.get("brand") or "").upper()
        if brand in Brand.values:
            filters.brand = brand
        elif brand:
            filters.errors.append(_("Unknown brand."))
        if filters.category is None and params.get("category"):
            found = category_by_slug(params["category"])
            if found is None and str(params["category"]).isdigit():
                found = categories_by_id().get(int(params["category"]))
            if found:
                filters.category = found["id"]
            else:
                filters.errors.append(_("Unknown category."))
        for name in ("min_price", "max_price"):
            raw = (params.get(name) or "").strip()
            if raw:
                try:
                    value = Decimal(raw)
                    if not value.is_finite() or value < 0:
                        raise InvalidOperation
                    setattr(filters, name, value)
                except (InvalidOperation, ValueError):
                    filters.errors.append(_("Prices must be positive amounts."))
        filters.in_stock = str(params.get("in_stock", "")).lower() in {"1", "true", "on", "yes"}
        sort = params.get("sort") or ""
        filters.sort = sort if sort in SORTS or (sort == "relevance" and filters.q) else ""
        if sort and not filters.sort:
            filters.errors.append(_("Unknown sort order."))
        return filters


def in_stock_expression():
    """EXISTS a positive stock row of an active SKU at a usable location (warehouse or an active outlet)."""
    return Exists(
        StockLevel.objects.filter(sku__product=OuterRef("pk"), sku__is_active=True, quantity__gt=0).filter(
            Q(outlet__isnull=True) | Q(outlet__is_active=True)
        )
    )


STORE_CARD_FIELDS = ("id", "name", "slug", "brand", "status", "rating")


def store_directory() -> dict:
    """Store ids that are not open ("hidden": pending Tmall, suspended), open store ids per brand, and what a
    product card shows of each store. Cached and small, so listings never join or query the stores table."""
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


# Columns a product card needs; the wide ones (description, search tokens, tsvector) stay on disk.
CARD_FIELDS = ("id", "store_id", "category_id", "title", "title_en", "image", "status", "featured", "sales_count",
               "min_price", "created_at")  # fmt: skip


def _filtered(filters: CatalogFilters) -> QuerySet[Product]:
    products = visible_products().only(*CARD_FIELDS)
    if filters.brand:
        products = products.filter(store_id__in=store_directory()[filters.brand] or [0])
    if filters.category:
        products = products.filter(category_id__in=descendant_ids(filters.category))
    if filters.store:
        products = products.filter(store_id=filters.store)
    if filters.min_price is not None:
        products = products.filter(min_price__gte=filters.min_price)
    if filters.max_price is not None:
        products = products.filter(min_price__lte=filters.max_price)
    if filters.in_stock:
        products = products.filter(in_stock_expression())
    return products


def catalog(filters: CatalogFilters) -> QuerySet[Product]:
    """The storefront listing (category page, search, store page) with filters and sorting applied.

    With a query this is the first search stage that finds anything (all words, any word, typo-tolerant); use
    ``catalog_page`` to get a page and its total in the fewest queries.
    """
    for stage in search_stages(filters):
        if stage.exists():
            return stage
    return _filtered(filters).none() if filters.q else stage


def search_stages(filters: CatalogFilters):
    """Querysets to try in order. Without a query: just the sorted listing."""
    products = _filtered(filters)
    order = SORTS.get(filters.sort)
    if not filters.q:
        yield products.order_by(*(order or SORTS["recommended"]))
        return
    raw = search.tsquery_for(filters.q)
    if raw:
        yield _ranked(products, raw, order)
        if " & " in raw:
            # No product has every word: any word, ranked so that products matching more words come first.
            yield _ranked(products, raw.replace(" & ", " | "), order)
    yield _fuzzy_search(products, filters.q, order)


def _ranked(products: QuerySet[Product], raw: str, order) -> QuerySet[Product]:
    query = SearchQuery(raw, search_type="raw", config="simple")
    matches = products.filter(search_vector=query)
    if order:
        return matches.order_by(*order)
    # ts_rank weighs title words (A) above description/category words (B); popularity breaks ties.
    return matches.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "-sales_count", "-id")


def _fuzzy_search(products: QuerySet[Product], q: str, order) -> QuerySet[Product]:
    """Typos and partial English words ("dres", "drss"): trigram word similarity on the English title."""
    fuzzy = products.annotate(similarity=TrigramWordSimilarity(q, "title_en")).filter(similarity__gte=TRIGRAM_THRESHOLD)
    if order:
        return fuzzy.order_by(*order)
    return fuzzy.order_by("-similarity", "-sales_count", "-id")


@dataclass
class ResultPage:
    """One page of a listing with what the templates and the API need (Paginator-like attribute names)."""

    object_list: list[Product]
    count: int
    number: int
    per_page: int
    capped: bool = False

    @property
    def paginator(self) -> ResultPage:
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(raw) -> int:
    try:
        return max(1, min(int(raw), 10_000))
    except (TypeError, ValueError):
        return 1


def catalog_page(filters: CatalogFilters, number: int = 1, per_page: int = 24) -> ResultPage:
    """A page of the listing or search and the total (capped at COUNT_CAP), with stores and closures attached.

    Two queries: the page of cards (only the card columns, so even ranking a broad search sorts narrow rows) and
    the total; stores and today's closures come from the cache. A search stage that finds nothing hands over to
    the next one (any word, then typo-tolerant).
    """
    offset = (number - 1) * per_page
    for stage in search_stages(filters):
        rows = list(stage[offset : offset + per_page])
        if not rows and filters.q and number == 1:
            continue  # nothing at all: try the next stage
        # A search counts exactly: its GIN bitmap already names every match, whereas LIMIT makes the planner
        # pick a sequential scan. A listing counts at most COUNT_CAP rows of a category index.
        if rows or number > 1:
            total = min(stage.order_by().count(), COUNT_CAP) if filters.q else capped_count(stage)
        else:
            total = 0
        if not rows and total:  # past the last page: show the last one
            return catalog_page(filters, -(-total // per_page), per_page)
        return ResultPage(annotate_closures(attach_stores(rows)), total, number, per_page, capped=total >= COUNT_CAP)
    return ResultPage([], 0, 1, per_page)


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    return queryset.order_by()[:cap].count()


def closures_for(store_ids, on: datetime.date | None = None) -> dict[int, StoreClosure]:
    """store id -> the closure covering `on` (default today). Today's closures of all stores are one small cached
    query (closure writes bump the catalog version), so listings and product pages do not query them."""
    today = timezone.localdate()
    on = on or today
    if on == today:
        active = cache.get(key := caching.fragment_key("closures", on.isoformat()))
        if active is None:
            active = _closures_on(StoreClosure.objects.all(), on)
            cache.set(key, active, caching.FRAGMENT_TTL)
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


# --- product page ---------------------------------------------------------------------------------------------


@dataclass
class SkuView:
    sku: SKU
    delivery_stock: int
    pickup_stock: dict[int, int]  # outlet id -> units

    @property
    def total_pickup(self) -> int:
        return sum(self.pickup_stock.values())


@dataclass
class ProductDetail:
    product: Product
    skus: list[SkuView]
    outlets: list[Outlet]
    closure: StoreClosure | None
    problem: str | None  # why nothing can be bought right now, or None

    @property
    def in_stock(self) -> bool:
        return any(view.delivery_stock or view.total_pickup for view in self.skus)

    @property
    def default_sku_id(self) -> int | None:
        """The option pre-selected on the product page: the first one that can be shipped or picked up."""
        usable = [view for view in self.skus if view.delivery_stock or view.total_pickup] or self.skus
        return usable[0].sku.pk if usable else None

    @property
    def pickup_table(self) -> list[tuple[Outlet, list[int]]]:
        """One row per active outlet: pickup units of each SKU, in the SKU order of the page."""
        return [(outlet, [view.pickup_stock.get(outlet.pk, 0) for view in self.skus]) for outlet in self.outlets]


def product_detail(product_id: int, on: datetime.date | None = None) -> ProductDetail | None:
    """A visible product with per-SKU price, delivery stock, and pickup stock per active outlet (3 queries)."""
    product = visible_products().select_related("store", "category").filter(pk=product_id).first()
    if product is None:
        return None
    skus = list(product.skus.filter(is_active=True).order_by("price", "id"))
    outlets = list(product.store.outlets.filter(is_active=True).order_by("name"))
    views = {sku.pk: SkuView(sku=sku, delivery_stock=0, pickup_stock={}) for sku in skus}
    levels = StockLevel.objects.filter(sku_id__in=views, quantity__gt=0).filter(
        Q(outlet__isnull=True) | Q(outlet__is_active=True)
    )
    for sku_id, outlet_id, pool, quantity in levels.values_list("sku_id", "outlet_id", "pool", "quantity"):
        view = views[sku_id]
        if outlet_id is None or pool == StockPool.SHARED:
            view.delivery_stock += quantity
        if outlet_id is not None:
            view.pickup_stock[outlet_id] = view.pickup_stock.get(outlet_id, 0) + quantity
    closure = closures_for([product.store_id], on).get(product.store_id)
    return ProductDetail(
        product=product,
        skus=list(views.values()),
        outlets=outlets,
        closure=closure,
        problem=_store_problem(product.store, closure, on) or _product_problem(product),
    )


def store_by_slug(slug: str) -> Store | None:
    return Store.objects.select_related("merchant").filter(slug=slug, status=Store.Status.OPEN).first()


def home_sections(limit: int = 12) -> dict:
    """Featured products of both brands, interleaved so neither brand dominates the home page."""
    by_brand = {
        brand: list(visible_products().filter(featured=True, store__brand=brand).select_related("store")
                    .order_by("-sales_count", "-id")[:limit])
        for brand in Brand.values
    }  # fmt: skip
    mixed: list[Product] = []
    for pair in zip(*by_brand.values(), strict=False):
        mixed.extend(pair)
    leftovers = [p for brand in by_brand.values() for p in brand if p not in mixed]
    featured = annotate_closures((mixed + leftovers)[:limit])
    newest = annotate_closures(visible_products().select_related("store").order_by("-created_at", "-id")[:8])
    return {"featured": featured, "newest": newest, "verticals": verticals()}


# --- can it be bought? ----------------------------------------------------------------------------------------


def _store_problem(store: Store, closure: StoreClosure | None, on=None) -> str | None:
    if closure is not None:
        return _("The store is closed until %(date)s.") % {"date": closure.ends_on.isoformat()}
    if store.status != Store.Status.OPEN:
        return _("The store is not open.")
    return None


def _product_problem(product: Product) -> str | None:
    if product.status != Product.Status.ACTIVE:
        return _("This product is off the shelf.")
    return None


def purchasable_problem(sku: SKU | int, on: datetime.date | None = None) -> str | None:
    """Why this SKU cannot be bought on `on` (default today), or None. Called by cart and checkout.

    Checks the store (open, not on a holiday closure), the product (on sale) and the SKU (active). Stock is
    checked separately by the stock reservation.
    """
    sku = SKU.objects.select_related("product__store").filter(pk=getattr(sku, "pk", sku)).first()
    if sku is None:
        return _("This item does not exist.")
    store = sku.product.store
    return (
        _store_problem(store, store.active_closure(on), on)  # straight from the database: buying must be exact
        or _product_problem(sku.product)
        or (None if sku.is_active else _("This option is no longer sold."))
    )


def delivery_stock(sku_id: int) -> int:
    return StockLevel.objects.filter(sku_id=sku_id).for_delivery().filter(quantity__gt=0).total()


def stock_rows_for(product: Product) -> dict[tuple[int, int | None, str], int]:
    """(sku id, outlet id or None, pool) -> quantity, for the workbench stock grid."""
    rows = StockLevel.objects.filter(sku__product=product).values_list("sku_id", "outlet_id", "pool", "quantity")
    return {(sku_id, outlet_id, pool): quantity for sku_id, outlet_id, pool, quantity in rows}


def store_stats(store: Store) -> dict:
    products = store.products.all()
    return {
        "products": products.count(),
        "on_sale": products.filter(status=Product.Status.ACTIVE).count(),
        "skus": store.skus.count(),
        "units": StockLevel.objects.filter(sku__store=store).aggregate(total=Sum("quantity"))["total"] or 0,
        "outlets": store.outlets.count(),
        "closure": store.active_closure(),
    }
