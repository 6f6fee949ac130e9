"""Every write to stores and the catalog goes through here, in a transaction, with the business rules checked.

Services raise ``DomainError`` with a message a merchant or operator can act on; nothing is half-saved.
Stock reservation for orders lives in shops/stock.py (orders engineer); this module sets and adjusts levels.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.api import DomainError
from marketplace.money import to_money
from shops import caching, search
from shops.models import (
    SKU,
    Brand,
    BrandAuthorization,
    Category,
    Merchant,
    Outlet,
    Product,
    StaffRole,
    StockLevel,
    StockPool,
    Store,
    StoreClosure,
    StoreStaff,
)

CATEGORY_TREE_CACHE_KEY = caching.CATEGORY_TREE_KEY


# --- merchants and stores -------------------------------------------------------------------------------------


def create_merchant(*, owner: User, name: str, kind: str = Merchant.Kind.COMPANY) -> Merchant:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("A merchant needs a name."), code="name_required")
    if Merchant.objects.filter(name=name).exists():
        raise DomainError(_("A merchant with this name already exists."), code="duplicate_merchant")
    return Merchant.objects.create(owner=owner, name=name, kind=kind)


def unique_store_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:60] or "store"
    slug, n = base, 1
    while Store.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_store(*, merchant: Merchant, name: str, brand: str, slug: str = "", description: str = "") -> Store:
    """A Taobao store opens at once; a Tmall store waits for an approved brand authorization."""
    if brand not in Brand.values:
        raise DomainError(_("Brand must be TAOBAO or TMALL."), code="invalid_brand")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("A store needs a name."), code="name_required")
    if brand == Brand.TMALL and merchant.kind != Merchant.Kind.COMPANY:
        raise DomainError(_("Only a company can open a Tmall store."), code="tmall_needs_company")
    slug = slugify(slug) if slug else unique_store_slug(name)
    if Store.objects.filter(slug=slug).exists():
        raise DomainError(_("This store address is taken."), code="duplicate_slug")
    status = Store.Status.OPEN if brand == Brand.TAOBAO else Store.Status.PENDING
    store = Store.objects.create(
        merchant=merchant, name=name, slug=slug, brand=brand, status=status, description=description
    )
    StoreStaff.objects.create(store=store, user=merchant.owner, role=StaffRole.OWNER)
    caching.after_write(caching.forget_hidden_stores)
    return store


@transaction.atomic
def open_store(store: Store, *, by_operator: bool = True) -> Store:
    """Open a store. A Tmall store needs an approved brand authorization; only an operator lifts a suspension."""
    store = Store.objects.select_for_update().get(pk=store.pk)
    if store.status == Store.Status.SUSPENDED and not by_operator:
        raise DomainError(_("This store was suspended by the platform; contact an operator."), code="suspended")
    if store.brand == Brand.TMALL and not store.brand_approved():
        raise DomainError(
            _("A Tmall store opens only after an operator approves its brand authorization."),
            code="brand_not_approved",
        )
    store.status = Store.Status.OPEN
    store.save(update_fields=["status"])
    caching.after_write(caching.forget_hidden_stores)
    return store


def set_store_suspended(store: Store, suspended: bool) -> Store:
    if suspended:
        Store.objects.filter(pk=store.pk).update(status=Store.Status.SUSPENDED)
        store.status = Store.Status.SUSPENDED
        caching.forget_hidden_stores()
        return store
    return open_store(store)


def update_store(store: Store, *, name: str, description: str) -> Store:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("A store needs a name."), code="name_required")
    store.name, store.description = name, description
    store.save(update_fields=["name", "description"])
    caching.after_write(caching.bump_catalog)
    return store


# --- brand authorization (Tmall) ------------------------------------------------------------------------------


def submit_brand_authorization(*, store: Store, brand_name: str, document=None, document_note: str = ""):
    if store.brand != Brand.TMALL:
        raise DomainError(_("Only Tmall stores need a brand authorization."), code="not_tmall")
    brand_name = (brand_name or "").strip()
    if not brand_name:
        raise DomainError(_("Name the brand you are authorized to sell."), code="brand_name_required")
    if not document and not (document_note or "").strip():
        raise DomainError(
            _("Attach the authorization document or describe it (registration number, issuer, validity)."),
            code="document_required",
        )
    if store.brand_authorizations.filter(status=BrandAuthorization.Status.PENDING).exists():
        raise DomainError(_("This store already has an authorization waiting for review."), code="already_pending")
    authorization = BrandAuthorization(store=store, brand_name=brand_name, document_note=document_note.strip())
    if document:
        authorization.document = document
    authorization.save()
    return authorization


@transaction.atomic
def decide_brand_authorization(authorization: BrandAuthorization, *, operator: User, approve: bool, reason: str):
    """Approve (the Tmall store opens) or reject (a reason is mandatory) a pending authorization."""
    authorization = BrandAuthorization.objects.select_for_update().select_related("store").get(pk=authorization.pk)
    reason = (reason or "").strip()
    if authorization.status != BrandAuthorization.Status.PENDING:
        raise DomainError(_("This authorization was already decided."), code="already_decided", status_code=409)
    if not approve and not reason:
        raise DomainError(_("Give the merchant a reason for the rejection."), code="reason_required")
    authorization.status = BrandAuthorization.Status.APPROVED if approve else BrandAuthorization.Status.REJECTED
    authorization.decision_reason = reason
    authorization.decided_by = operator
    authorization.decided_at = timezone.now()
    authorization.save()
    store = authorization.store
    if approve and store.status == Store.Status.PENDING:
        Store.objects.filter(pk=store.pk).update(status=Store.Status.OPEN)
        store.status = Store.Status.OPEN
        caching.after_write(caching.forget_hidden_stores)
    return authorization


# --- staff ----------------------------------------------------------------------------------------------------


def add_staff(*, store: Store, username: str, role: str) -> StoreStaff:
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."), code="invalid_role")
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None:
        raise DomainError(_("No user with this username."), code="unknown_user")
    staff, created = StoreStaff.objects.get_or_create(store=store, user=user, defaults={"role": role})
    if not created:
        change_staff_role(staff, role)
    return staff


@transaction.atomic
def change_staff_role(staff: StoreStaff, role: str) -> StoreStaff:
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."), code="invalid_role")
    if staff.role == StaffRole.OWNER and role != StaffRole.OWNER:
        _keep_an_owner(staff)
    staff.role = role
    staff.save(update_fields=["role"])
    return staff


@transaction.atomic
def remove_staff(staff: StoreStaff) -> None:
    if staff.role == StaffRole.OWNER:
        _keep_an_owner(staff)
    staff.delete()


def _keep_an_owner(staff: StoreStaff) -> None:
    owners = StoreStaff.objects.select_for_update().filter(store_id=staff.store_id, role=StaffRole.OWNER)
    if owners.exclude(pk=staff.pk).count() == 0:
        raise DomainError(_("A store must keep at least one owner."), code="last_owner")


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


@transaction.atomic
def save_product(*, store: Store, category: Category, product: Product | None = None, image=None, **fields) -> Product:
    """Create or update a product of `store` (not its SKUs). Keeps the search tokens current."""
    if product is not None and product.store_id != store.pk:
        raise DomainError(_("Product not found."), code="not_found", status_code=404)
    title = (fields.get("title") if "title" in fields else (product.title if product else "")) or ""
    if not title.strip():
        raise DomainError(_("A product needs a title."), code="title_required")
    if "status" in fields and fields["status"] not in Product.Status.values:
        raise DomainError(_("Unknown product status."), code="invalid_status")
    product = product or Product(store=store)
    product.category = category
    for name in PRODUCT_FIELDS:
        if name in fields and fields[name] is not None:
            value = fields[name]
            setattr(product, name, value.strip() if isinstance(value, str) else value)
    if image:
        product.image = image
    refresh_search_tokens(product)
    product.save()
    caching.after_write(caching.bump_catalog)
    return product


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
def create_product(*, store: Store, category: Category, skus: list[dict], image=None, **fields) -> Product:
    """A product with its SKUs (each {code, price, attributes, stock?}) in one go: all saved or none."""
    if not skus:
        raise DomainError(_("A product needs at least one SKU."), code="sku_required")
    codes = [str(item.get("code", "")).strip() for item in skus]
    if len(set(codes)) != len(codes):
        raise DomainError(_("Two SKUs of this product have the same code."), code="duplicate_sku_code")
    product = save_product(store=store, category=category, image=image, **fields)
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
    level = StockLevel.objects.select_for_update().filter(sku=sku, outlet=outlet, pool=pool).first()
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


# --- outlets --------------------------------------------------------------------------------------------------

OUTLET_FIELDS = ("name", "address", "latitude", "longitude", "pickup_hours", "is_active")


@transaction.atomic
def save_outlet(*, store: Store, outlet: Outlet | None = None, **fields) -> Outlet:
    if outlet is not None and outlet.store_id != store.pk:
        raise DomainError(_("Outlet not found."), code="not_found", status_code=404)
    outlet = outlet or Outlet(store=store)
    for name in OUTLET_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(outlet, name, fields[name])
    if not (outlet.name or "").strip() or not (outlet.address or "").strip():
        raise DomainError(_("An outlet needs a name and an address."), code="outlet_incomplete")
    try:
        lat, lng = Decimal(str(outlet.latitude)), Decimal(str(outlet.longitude))
    except ArithmeticError:  # decimal.InvalidOperation
        raise DomainError(_("Coordinates must be numbers."), code="invalid_coordinates") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError(_("Latitude must be within ±90 and longitude within ±180."), code="invalid_coordinates")
    outlet.latitude, outlet.longitude = lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))
    outlet.save()
    caching.after_write(caching.bump_catalog)
    return outlet


# --- holiday closures (一键打烊) ------------------------------------------------------------------------------


def schedule_closure(*, store: Store, starts_on: datetime.date, ends_on: datetime.date, reason: str = ""):
    """Close the store for a date range (inclusive). Ranking is untouched: see docs/SEARCH.md."""
    if not starts_on or not ends_on:
        raise DomainError(_("Give both the first and the last closed day."), code="dates_required")
    if ends_on < starts_on:
        raise DomainError(_("A closure cannot end before it starts."), code="ends_before_start")
    if ends_on < timezone.localdate():
        raise DomainError(_("This closure would already be over."), code="closure_in_past")
    if (ends_on - starts_on).days > 90:
        raise DomainError(_("A holiday closure lasts 90 days at most."), code="closure_too_long")
    closure = StoreClosure.objects.create(store=store, starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
    caching.after_write(caching.bump_catalog)
    return closure


def close_now(*, store: Store, until: datetime.date, reason: str = "") -> StoreClosure:
    """一键打烊: closed from today until `until`."""
    return schedule_closure(store=store, starts_on=timezone.localdate(), ends_on=until, reason=reason)


def end_closure(closure: StoreClosure) -> None:
    """Reopen early: a running closure ends yesterday, a future one is removed."""
    today = timezone.localdate()
    caching.after_write(caching.bump_catalog)
    if closure.starts_on >= today:
        closure.delete()
        return
    closure.ends_on = max(closure.starts_on, today - datetime.timedelta(days=1))
    closure.save(update_fields=["ends_on"])


@transaction.atomic
def create_sku_with_stock(*, product: Product, stock=None, **fields) -> SKU:
    sku = save_sku(product=product, **fields)
    if stock not in (None, ""):
        set_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=stock)
    return sku
