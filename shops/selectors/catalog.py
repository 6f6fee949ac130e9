"""Catalog listing and search: filters from query parameters, sort orders, search stages, result pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from shops import search
from shops.models import Brand, Product, StockLevel
from shops.selectors.directory import (
    annotate_closures,
    attach_stores,
    categories_by_id,
    category_by_slug,
    descendant_ids,
    store_directory,
    visible_products,
)

# Listings count matches up to this many ("2400+ products", 100 pages): an exact count of a broad search would visit every
# matching row on each page view; nobody pages that far (the storefront shows 24 per page).
COUNT_CAP = 2_400

SORTS = {
    # Recommended = merchandising signals only: featured, then monthly sales weighted by the store's DSR
    # (recommend_score, kept by the reviews worker). Store closures are deliberately NOT an input (docs/SEARCH.md).
    "recommended": ("-featured", "-recommend_score", "-id"),
    "price_asc": ("min_price", "id"),
    "price_desc": ("-min_price", "-id"),
    "newest": ("-created_at", "-id"),
    "sales": ("-sales_count", "-id"),
}
TRIGRAM_THRESHOLD = 0.4


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
        # A search counts exactly: its GIN bitmap already names every match, whereas LIMIT makes the planner
        # pick a sequential scan. A listing counts at most COUNT_CAP rows of a category index.
        if rows or number > 1:
            total = min(stage.order_by().count(), COUNT_CAP) if filters.q else capped_count(stage)
        else:
            total = 0
        if not total and filters.q:
            continue  # this stage finds nothing at all: try the next one
        if not rows and total:  # past the last page: show the last one
            return catalog_page(filters, -(-total // per_page), per_page)
        return ResultPage(annotate_closures(attach_stores(rows)), total, number, per_page, capped=total >= COUNT_CAP)
    return ResultPage([], 0, 1, per_page)


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    return queryset.order_by()[:cap].count()
