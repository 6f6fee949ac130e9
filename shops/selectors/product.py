"""The product page, the home page sections, and whether a SKU can be bought right now."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.compiled import CompiledRead
from shops import caching, sku_matrix
from shops.models import SKU, Brand, Category, Outlet, Product, StockLevel, StockPool, Store, StoreClosure
from shops.selectors.directory import (
    annotate_closures,
    categories_by_id,
    closures_for,
    is_visible,
    verticals,
    visible_products,
)

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
    service: dict | None = None  # the store's service card for this product (7-day returns per vertical)
    ships_after: datetime.date | None = None  # a platform holiday window is running: parcels move from then
    holiday_ahead: dict | None = None  # one starts before an order placed now is due to ship (see holiday_ahead)

    @property
    def in_stock(self) -> bool:
        return any(view.delivery_stock or view.total_pickup for view in self.skus)

    @property
    def default_sku_id(self) -> int | None:
        """The option pre-selected on the product page: the first one that can be shipped or picked up."""
        usable = [view for view in self.skus if view.delivery_stock or view.total_pickup] or self.skus
        return usable[0].sku.pk if usable else None

    @property
    def matrix(self) -> sku_matrix.Matrix:
        return sku_matrix.build(
            [
                (view.sku.pk, view.sku.attributes or {}, view.sku.label, view.sku.price,
                 view.delivery_stock + view.total_pickup)
                for view in self.skus
            ],
            _("Option"),
        )  # fmt: skip

    @property
    def selector(self) -> dict:
        """The attribute button groups with the default SKU chosen, and the script's data."""
        matrix = self.matrix
        default = matrix.by_sku(self.default_sku_id)
        chosen = default.values if default else tuple(None for _axis in matrix.axes)
        limits = {view.sku.pk: view.sku.per_shopper_limit for view in self.skus if view.sku.per_shopper_limit}
        return {
            "groups": sku_matrix.states(matrix, chosen),
            "data": sku_matrix.as_json(matrix),
            "default": default,
            "limit": limits,
            # The quantity field's max before any choice: the stock, and the per-shopper limit (as product.js does).
            "max_quantity": max(1, min(default.stock, limits.get(default.sku_id, 999))) if default else 1,
        }

    @property
    def pickup_table(self) -> list[tuple[Outlet, list[int]]]:
        """One row per active outlet: pickup units of each SKU, in the SKU order of the page."""
        return [(outlet, [view.pickup_stock.get(outlet.pk, 0) for view in self.skus]) for outlet in self.outlets]


def product_detail(product_id: int, on: datetime.date | None = None) -> ProductDetail | None:
    """A visible product with per-SKU price, delivery stock, and pickup stock per active outlet.

    Two queries: the product row; its active SKUs with their stock rows. What belongs to the store or the platform
    (the store with its DSR and service card, its outlets, the category tree, the promise catalogue, holiday
    windows, today's closures) comes from caches keyed by the catalog version, which every write to them bumps."""
    found = PRODUCT_ROW.rows(product_id)
    product = Product.from_db(DEFAULT_DB_ALIAS, PRODUCT_COLUMNS, found[0]) if found else None
    if product is None or not is_visible(product):
        return None
    product.store = store_header(product.store_id)
    product.category = category_of(product.category_id)
    outlets = store_outlets(product.store_id)
    active_outlets = {outlet.pk for outlet in outlets}
    views: dict[int, SkuView] = {}
    for *fields, outlet_id, pool, quantity in SKU_ROWS.rows(product.pk):
        view = views.get(fields[0])
        if view is None:
            sku = SKU(**dict(zip(SKU_VIEW_FIELDS, fields, strict=True)), product=product, is_active=True)
            view = views[sku.pk] = SkuView(sku=sku, delivery_stock=0, pickup_stock={})
        if not quantity or quantity <= 0 or (outlet_id is not None and outlet_id not in active_outlets):
            continue
        if outlet_id is None or pool == StockPool.SHARED:
            view.delivery_stock += quantity
        if outlet_id is not None:
            view.pickup_stock[outlet_id] = view.pickup_stock.get(outlet_id, 0) + quantity
    closure = closures_for([product.store_id], on).get(product.store_id)
    from shops.selectors.promises import holiday_ahead, product_service_card, ships_after

    service = product_service_card(product)
    running = ships_after(on)
    return ProductDetail(
        product=product,
        skus=list(views.values()),
        outlets=outlets,
        closure=closure,
        problem=_store_problem(product.store, closure, on) or _product_problem(product),
        service=service,
        ships_after=running,
        holiday_ahead=None if running else holiday_ahead(service["ship_within_hours"], on),
    )


SKU_VIEW_FIELDS = ("id", "store_id", "code", "attributes", "price", "per_shopper_limit")
# The page's two reads, compiled once per process (marketplace.compiled): visibility is checked on the row read.
PRODUCT_COLUMNS = [field.attname for field in Product._meta.concrete_fields]
PRODUCT_ROW = CompiledRead(lambda pk: Product.objects.filter(pk=pk).values_list(*PRODUCT_COLUMNS))
SKU_ROWS = CompiledRead(
    lambda product_id: (
        SKU.objects.filter(product_id=product_id, is_active=True)
        .order_by("price", "id")
        .values_list(*SKU_VIEW_FIELDS, "stock_levels__outlet_id", "stock_levels__pool", "stock_levels__quantity")
    )
)


def store_header(store_id: int) -> Store:
    """The store as a product page shows it, with its DSR and service card, cached per catalog version. Store and
    service card writes bump the version; the DSR (rewritten by the reviews worker) shows on pages rendered after
    the cached copy expires (FRAGMENT_TTL)."""
    return caching.per_version(
        "store-header", lambda: Store.objects.select_related("dsr", "service_card").get(pk=store_id), store_id
    )


def category_of(category_id: int | None) -> Category | None:
    """An unsaved Category built from the cached tree (name, vertical, slug): no query."""
    row = categories_by_id().get(category_id)
    if row is None:
        return None
    return Category(**{field: row[field] for field in CATEGORY_FIELDS})


CATEGORY_FIELDS = ("id", "parent_id", "vertical_id", "name", "name_en", "slug", "position")


def store_outlets(store_id: int) -> list[Outlet]:
    """The store's active outlets by name, cached per catalog version (saving an outlet bumps it)."""
    return caching.per_version(
        "outlets", lambda: list(Outlet.objects.filter(store_id=store_id, is_active=True).order_by("name")), store_id
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


def purchasable_problems(skus: Iterable[SKU], on: datetime.date | None = None) -> dict[int, str | None]:
    """sku id -> purchasable_problem, for SKUs just read with their product and store (``select_related(
    "product__store")``): the same checks, with one query for the stores' closures instead of two per SKU."""
    skus = list(skus)
    on = on or timezone.localdate()
    store_ids = {sku.product.store_id for sku in skus}
    closures: dict[int, StoreClosure] = {}
    rows = StoreClosure.objects.filter(store_id__in=store_ids, starts_on__lte=on, ends_on__gte=on).order_by("ends_on")
    for closure in rows:
        closures[closure.store_id] = closure  # the last to end, as Store.active_closure
    return {
        sku.pk: (
            _store_problem(sku.product.store, closures.get(sku.product.store_id), on)
            or _product_problem(sku.product)
            or (None if sku.is_active else _("This option is no longer sold."))
        )
        for sku in skus
    }


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
