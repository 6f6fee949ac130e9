"""Writes to the catalog: categories, products and SKUs (keeping min_price and the search tokens right) and stock
levels per location and pool. Stock reservation for orders lives in shops/stock.py."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import to_money
from shops import caching, search
from shops.lock_objects import locked_stock_level
from shops.models import (
    SKU,
    Category,
    Outlet,
    Product,
    StockLevel,
    StockPool,
    Store,
)

CATEGORY_TREE_CACHE_KEY = caching.CATEGORY_TREE_KEY


# --- categories -----------------------------------------------------------------------------------------------


def forget_category_tree() -> None:
    caching.forget_category_tree()


def save_category(*, name: str, name_en: str, slug: str, parent: Category | None = None, position: int = 0):
    category, _created = Category.objects.update_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "parent": parent, "position": position}
    )
    forget_category_tree()
    return category


# --- products and SKUs ----------------------------------------------------------------------------------------


def parse_price(value) -> Decimal:
    try:
        price = to_money(value)
    except (TypeError, ValueError):
        raise DomainError(_("Price must be an amount such as 99.00."), code="invalid_price") from None
    if price < 0:
        raise DomainError(_("Price cannot be negative."), code="negative_price")
    if price > Decimal("9999999999.99"):
        raise DomainError(_("Price is too large."), code="invalid_price")
    return price


def parse_quantity(value) -> int:
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("Stock must be a whole number."), code="invalid_quantity") from None
    if quantity < 0:
        raise DomainError(_("Stock cannot be negative."), code="negative_stock")
    if quantity > 10_000_000:
        raise DomainError(_("Stock is too large."), code="invalid_quantity")
    return quantity


def clean_attributes(attributes) -> dict[str, str]:
    if attributes in (None, ""):
        return {}
    if not isinstance(attributes, dict):
        raise DomainError(_("Attributes must be name/value pairs such as 颜色=红."), code="invalid_attributes")
    cleaned = {}
    for key, value in attributes.items():
        key, value = str(key).strip(), str(value).strip()
        if not key or not value or len(key) > 30 or len(value) > 60:
            raise DomainError(_("Each attribute needs a short name and a value."), code="invalid_attributes")
        cleaned[key] = value
    return cleaned


def parse_attributes(text: str) -> dict[str, str]:
    """`颜色=红; 尺码=M` -> {"颜色": "红", "尺码": "M"} (the CSV and form format)."""
    attributes: dict[str, str] = {}
    for part in (text or "").replace("；", ";").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise DomainError(_("Attributes must look like 颜色=红; 尺码=M."), code="invalid_attributes")
        key, value = part.split("=", 1)
        attributes[key.strip()] = value.strip()
    return clean_attributes(attributes)


def refresh_search_tokens(product: Product) -> None:
    product.search_title = search.document_tokens(product.title, product.title_en)
    product.search_body = search.document_tokens(product.description, product.category.name, product.category.name_en)


def refresh_min_price(product: Product) -> Decimal:
    """Product.min_price is the lowest active SKU price: listings filter and sort on it without a join."""
    lowest = product.skus.filter(is_active=True).aggregate(low=Min("price"))["low"]
    product.min_price = lowest if lowest is not None else Decimal("0.00")
    Product.objects.filter(pk=product.pk).update(min_price=product.min_price)
    return product.min_price


PRODUCT_FIELDS = ("title", "title_en", "description", "status", "featured")
# What the search tokens are made of (shops.search): a change to any of them re-indexes the product.
SEARCH_INPUTS = ("title", "title_en", "description", "category_id")


def _search_inputs(product: Product) -> tuple:
    return tuple(getattr(product, name) for name in SEARCH_INPUTS)


MAX_GALLERY = 8  # more pictures after the main image


@transaction.atomic
def save_product(
    *,
    store: Store,
    category: Category,
    product: Product | None = None,
    image=None,
    gallery=None,
    clear_gallery: bool = False,
    index_now: bool = False,
    **fields,
) -> Product:
    """Create or update a product of `store` (not its SKUs). `gallery`: more pictures (uploaded files) to show after
    the main image, replacing the ones before; `clear_gallery` drops them.

    The search tokens (jieba over the title and description, the slow part of a save) are computed by a worker
    after the commit (index_product); `index_now` computes them here instead (imports and seeding, which already
    run outside a request)."""
    if product is not None and product.store_id != store.pk:
        raise DomainError(_("Product not found."), code="not_found", status_code=404)
    title = (fields.get("title") if "title" in fields else (product.title if product else "")) or ""
    if not title.strip():
        raise DomainError(_("A product needs a title."), code="title_required")
    if "status" in fields and fields["status"] not in Product.Status.values:
        raise DomainError(_("Unknown product status."), code="invalid_status")
    before = _search_inputs(product) if product is not None and product.pk else None
    product = product or Product(store=store)
    product.category = category
    for name in PRODUCT_FIELDS:
        if name in fields and fields[name] is not None:
            value = fields[name]
            setattr(product, name, value.strip() if isinstance(value, str) else value)
    if image:
        product.image = image
    if clear_gallery:
        product.gallery = []
    if gallery:
        if len(gallery) > MAX_GALLERY:
            raise DomainError(
                _("A product shows at most %(n)s more pictures.") % {"n": MAX_GALLERY}, code="too_many_pictures"
            )
        field = Product._meta.get_field("image")
        product.gallery = [field.storage.save(field.generate_filename(product, picture.name), picture)
                           for picture in gallery]  # fmt: skip
    if index_now:
        refresh_search_tokens(product)
    product.save()
    if not index_now and _search_inputs(product) != before:
        from shops import tasks

        product_id = product.pk
        transaction.on_commit(lambda: tasks.index_product.delay(product_id))
    caching.after_write(caching.bump_catalog)
    return product


def index_product(product_id: int) -> bool:
    """Store the search tokens of the product's current text (the index_product task). Idempotent; a run that read
    text an edit has since replaced writes nothing (that edit queued its own run). False when nothing was written."""
    product = Product.objects.select_related("category").filter(pk=product_id).first()
    if product is None:
        return False
    refresh_search_tokens(product)
    written = Product.objects.filter(
        pk=product_id, **dict(zip(SEARCH_INPUTS, _search_inputs(product), strict=True))
    ).update(search_title=product.search_title, search_body=product.search_body)
    if written:
        caching.after_write(caching.bump_catalog)  # cached search results may now include it
    return bool(written)


def _check_sku_code(store_id: int, code: str, exclude_pk: int | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Each SKU needs a code."), code="sku_code_required")
    if len(code) > 64:
        raise DomainError(_("SKU code is too long (64 characters at most)."), code="invalid_sku_code")
    duplicates = SKU.objects.filter(store_id=store_id, code=code)
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise DomainError(
            _("SKU code %(code)s is already used in this store.") % {"code": code}, code="duplicate_sku_code"
        )
    return code


@transaction.atomic
def save_sku(
    *,
    product: Product,
    sku: SKU | None = None,
    code: str,
    price,
    attributes=None,
    is_active: bool = True,
    per_shopper_limit: int | None = None,
) -> SKU:
    if sku is not None and sku.product_id != product.pk:
        raise DomainError(_("SKU not found."), code="not_found", status_code=404)
    code = _check_sku_code(product.store_id, code, sku.pk if sku else None)
    if per_shopper_limit is not None and int(per_shopper_limit) < 1:
        raise DomainError(_("A per-shopper limit must be at least 1."), code="invalid_limit")
    sku = sku or SKU(product=product)
    sku.code = code
    sku.price = parse_price(price)
    sku.attributes = clean_attributes(attributes)
    sku.is_active = bool(is_active)
    sku.per_shopper_limit = per_shopper_limit
    try:
        with transaction.atomic():
            sku.save()
    except IntegrityError:
        raise DomainError(
            _("SKU code %(code)s is already used in this store.") % {"code": code}, code="duplicate_sku_code"
        ) from None
    if sku.store_id and not StockLevel.objects.filter(sku=sku, outlet__isnull=True).exists():
        StockLevel.objects.create(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=0)
    refresh_min_price(product)
    caching.after_write(caching.bump_catalog)
    return sku


@transaction.atomic
def create_product(
    *, store: Store, category: Category, skus: list[dict], image=None, index_now: bool = False, **fields
) -> Product:
    """A product with its SKUs (each {code, price, attributes, stock?}) in one go: all saved or none."""
    if not skus:
        raise DomainError(_("A product needs at least one SKU."), code="sku_required")
    codes = [str(item.get("code", "")).strip() for item in skus]
    if len(set(codes)) != len(codes):
        raise DomainError(_("Two SKUs of this product have the same code."), code="duplicate_sku_code")
    product = save_product(store=store, category=category, image=image, index_now=index_now, **fields)
    for item in skus:
        sku = save_sku(
            product=product,
            code=item.get("code", ""),
            price=item.get("price"),
            attributes=item.get("attributes"),
            is_active=item.get("is_active", True),
            per_shopper_limit=item.get("per_shopper_limit"),
        )
        if item.get("stock") not in (None, ""):
            set_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=item["stock"])
    return product


# --- stock ----------------------------------------------------------------------------------------------------


def _check_location(sku: SKU, outlet: Outlet | None, pool: str) -> None:
    if pool not in StockPool.values:
        raise DomainError(_("Unknown stock pool."), code="invalid_pool")
    if outlet is None and pool != StockPool.ONLINE:
        raise DomainError(_("The online warehouse holds online-only stock."), code="invalid_pool")
    if outlet is not None:
        if outlet.store_id != sku.store_id:
            raise DomainError(_("Outlet not found."), code="not_found", status_code=404)
        if pool == StockPool.ONLINE:
            raise DomainError(_("An outlet holds outlet-only or shared stock."), code="invalid_pool")


@transaction.atomic
def set_stock(*, sku: SKU, outlet: Outlet | None, pool: str, quantity) -> StockLevel:
    """Set the sellable units of a SKU at one location in one pool (a stock count)."""
    quantity = parse_quantity(quantity)
    _check_location(sku, outlet, pool)
    level = locked_stock_level(sku=sku, outlet=outlet, pool=pool)
    if level is None:
        level = StockLevel.objects.create(sku=sku, outlet=outlet, pool=pool, quantity=quantity)
    else:
        level.quantity = quantity
        level.save(update_fields=["quantity"])
    caching.after_write(caching.bump_catalog)
    return level


@transaction.atomic
def adjust_stock(*, sku: SKU, outlet: Outlet | None, pool: str, delta) -> StockLevel:
    """Add or remove units atomically (a delivery arrived, goods were damaged). Never below zero."""
    try:
        delta = int(str(delta).strip())
    except (TypeError, ValueError):
        raise DomainError(_("The change must be a whole number."), code="invalid_quantity") from None
    _check_location(sku, outlet, pool)
    level, _created = StockLevel.objects.get_or_create(sku=sku, outlet=outlet, pool=pool, defaults={"quantity": 0})
    updated = StockLevel.objects.filter(pk=level.pk, quantity__gte=-delta).update(quantity=F("quantity") + delta)
    if not updated:
        raise DomainError(_("Stock cannot go below zero."), code="negative_stock")
    level.refresh_from_db()
    caching.after_write(caching.bump_catalog)
    return level


@transaction.atomic
def create_sku_with_stock(*, product: Product, stock=None, **fields) -> SKU:
    sku = save_sku(product=product, **fields)
    if stock not in (None, ""):
        set_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=stock)
    return sku
