"""Merchants, stores of both brands, staff, categories, products, SKUs, outlets, stock pools and closures."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField
from shops import shipping


class Brand(models.TextChoices):
    TAOBAO = "TAOBAO", _("Taobao")
    TMALL = "TMALL", _("Tmall")


class Merchant(models.Model):
    """A business (or an individual, on Taobao) that owns stores."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_merchants")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting brand approval")
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Suspended")

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="stores")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    brand = models.CharField(_("brand"), max_length=10, choices=Brand.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="stores/", blank=True)
    # Ranking signal for "recommended" sort. A holiday closure never lowers it (see docs/SEARCH.md).
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=4.80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(brand__in=Brand.values), name="store_brand_valid")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def brand_approved(self) -> bool:
        return self.brand_authorizations.filter(status=BrandAuthorization.Status.APPROVED).exists()

    def clean(self):
        if self.status == self.Status.OPEN and self.brand == Brand.TMALL and self.pk and not self.brand_approved():
            raise ValidationError(_("A Tmall store opens only after an operator approves its brand authorization."))

    def active_closure(self, on: datetime.date | None = None) -> StoreClosure | None:
        on = on or timezone.localdate()
        return self.closures.filter(starts_on__lte=on, ends_on__gte=on).order_by("ends_on").last()


class BrandAuthorization(models.Model):
    """A Tmall store's proof that it may sell a brand; an operator approves or rejects it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="brand_authorizations")
    brand_name = models.CharField(_("brand name"), max_length=120)
    document = models.FileField(_("authorization document"), upload_to="brand-docs/", blank=True)
    document_note = models.TextField(_("document details"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.brand_name} ({self.store})"


class StaffRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    OPERATIONS = "operations", _("Operations")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")


class StoreStaff(models.Model):
    """Who works in which store, in which role. Capabilities per role: shops/permissions.py."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_roles")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "user"], name="one_role_per_store_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.store} ({self.role})"


class Category(models.Model):
    """A tree; the top level is the vertical (industry) used for commission rates and reporting."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    vertical = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Top-level ancestor"
    )
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        vertical_id = self.parent.vertical_id if self.parent_id else self.pk
        if self.vertical_id != vertical_id:
            Category.objects.filter(pk=self.pk).update(vertical_id=vertical_id)
            self.vertical_id = vertical_id

    @property
    def is_vertical(self) -> bool:
        return self.parent_id is None


class Product(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("On sale")
        DISABLED = "disabled", _("Off the shelf")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    # The product page's gallery after the main image: storage names of more pictures (shops.services.save_product),
    # kept on the row so a never-seen product page still needs no extra query.
    gallery = models.JSONField(_("more pictures"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    featured = models.BooleanField(_("featured"), default=False)
    # 月销: units paid in the last 30 days minus refunds, and the "recommended" rank (sales weighted by the store's
    # DSR); both kept by the reviews worker (reviews/sales.py).
    sales_count = models.PositiveIntegerField(default=0)
    recommend_score = models.PositiveIntegerField(default=0, db_default=0)
    # Lowest active SKU price, kept by shops.services so listings filter and sort without a join.
    min_price = MoneyField(default=0)
    # None = the store's default template (or free shipping when the store has none).
    shipping_template = models.ForeignKey(
        "shops.ShippingTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        verbose_name=_("shipping template"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Search (docs/SEARCH.md): shops.search fills the two token fields at write time with jieba-segmented words
    # (plus single CJK characters) and lower-cased English words; PostgreSQL derives the weighted tsvector.
    search_title = models.TextField(default="", blank=True, editable=False)
    search_body = models.TextField(default="", blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("search_title", weight="A", config="simple")
        + SearchVector("search_body", weight="B", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["store", "status"]),
            # Storefront listings read only active products: partial indexes in each sort order, carrying the
            # filter columns so a category/brand listing walks one index in order (docs/SEARCH.md).
            models.Index(
                F("featured").desc(),
                F("recommend_score").desc(),
                F("id").desc(),
                name="listed_recommended",
                condition=Q(status="active"),
            ),
            models.Index(F("sales_count").desc(), F("id").desc(), name="listed_sales", condition=Q(status="active")),
            models.Index(fields=["min_price", "id"], name="listed_price", condition=Q(status="active")),
            models.Index(F("created_at").desc(), F("id").desc(), name="listed_newest", condition=Q(status="active")),
            models.Index(fields=["category", "store"], name="listed_category", condition=Q(status="active")),
            GinIndex(fields=["search_vector"], name="listed_search_vector", condition=Q(status="active")),
            GinIndex(fields=["title_en"], name="product_title_en_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def pictures(self) -> list[str]:
        """The gallery's picture URLs: the main image, then the more pictures."""
        storage = self.image.storage
        return ([self.image.url] if self.image else []) + [storage.url(name) for name in self.gallery or ()]


class SKU(models.Model):
    """A sellable variant of a product (colour, size...) with its own price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="skus", editable=False)
    code = models.CharField(_("SKU code"), max_length=64)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    price = MoneyField(_("price"), validators=[MinValueValidator(0)])
    is_active = models.BooleanField(default=True)
    # Optional cap on units one shopper may hold in a cart / buy per order (flash sales, scarce items).
    per_shopper_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "SKU"
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="sku_code_unique_per_store"),
            models.CheckConstraint(condition=Q(price__gte=0), name="sku_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product.title} [{self.label}]"

    def save(self, *args, **kwargs):
        self.store_id = self.product.store_id
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return " / ".join(f"{value}" for value in self.attributes.values()) or self.code


class Outlet(models.Model):
    """A physical store (门店) of a Store: pickup point and stock location."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="outlets")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    pickup_hours = models.CharField(_("pickup hours"), max_length=120, default="10:00-22:00")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="outlet_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="outlet_longitude_range"),
        ]

    def __str__(self) -> str:
        return self.name


class StockPool(models.TextChoices):
    ONLINE = "online", _("Online only")
    OUTLET = "outlet", _("Outlet only")
    SHARED = "shared", _("Shared online and outlet")


class StockLevelQuerySet(models.QuerySet):
    def for_delivery(self):
        """Units that can be shipped: the online warehouse plus the shared pools of outlets."""
        return self.filter(Q(outlet__isnull=True) | Q(pool=StockPool.SHARED, outlet__is_active=True))

    def for_pickup(self, outlet_id: int):
        """Units that can be picked up at one outlet: its outlet-only and shared pools."""
        return self.filter(outlet_id=outlet_id, outlet__is_active=True, pool__in=[StockPool.OUTLET, StockPool.SHARED])

    def total(self) -> int:
        return self.aggregate(total=Sum("quantity"))["total"] or 0


class StockLevel(models.Model):
    """Units of one SKU at one location in one pool. outlet=NULL is the online warehouse (pool ONLINE only).

    Quantity is what can still be sold: placing an order decrements it (拍下减库存), cancelling restores it.
    The CHECK constraint is the backstop that makes overselling impossible even if a bug skipped the guard.
    """

    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="stock_levels")
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.CASCADE, related_name="stock_levels")
    pool = models.CharField(max_length=10, choices=StockPool.choices, default=StockPool.ONLINE)
    quantity = models.IntegerField(default=0)

    objects = StockLevelQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_quantity_not_negative"),
            models.UniqueConstraint(
                fields=["sku", "pool"], condition=Q(outlet__isnull=True), name="one_warehouse_row_per_sku"
            ),
            models.UniqueConstraint(fields=["sku", "outlet", "pool"], name="one_row_per_sku_outlet_pool"),
            models.CheckConstraint(
                condition=(Q(outlet__isnull=True, pool=StockPool.ONLINE))
                | (Q(outlet__isnull=False) & ~Q(pool=StockPool.ONLINE)),
                name="stock_pool_matches_location",
            ),
        ]

    def __str__(self) -> str:
        where = self.outlet.name if self.outlet_id else "warehouse"
        return f"{self.sku.code} @ {where} ({self.pool}): {self.quantity}"


class StoreClosure(models.Model):
    """Holiday closure (一键打烊): the store's products show as closed and cannot be bought during the range."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.store} closed {self.starts_on}..{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A closure cannot end before it starts.")})


class ImportJob(models.Model):
    """A bulk CSV product import: validated as a whole, written all-or-nothing by a Celery worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Checking rows")
        WRITING = "writing", _("Saving products")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Failed, nothing imported")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    products_created = models.PositiveIntegerField(default=0)
    skus_created = models.PositiveIntegerField(default=0)
    # [{"line": 3, "reason": "..."}], every bad row of the file.
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class StoreRating(models.Model):
    """A store's DSR (描述相符 / 服务态度 / 物流服务), written by the reviews worker; shops only reads it.

    ``count`` is the number of scores in the rating window. Below the floor the three means are NULL (the store
    shows "not enough ratings") while ``count`` still says how many there are. ``versus_vertical`` holds, per
    dimension, the percentage by which the store is above (positive) or below its vertical's average.
    """

    store = models.OneToOneField(Store, on_delete=models.CASCADE, primary_key=True, related_name="dsr")
    description = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    service = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    logistics = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    vertical = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    versus_vertical = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"DSR of {self.store_id}: {self.description}/{self.service}/{self.logistics} ({self.count})"

    @property
    def shown(self) -> bool:
        return self.description is not None

    def dimensions(self) -> list[tuple[str, str, object, float | None, float | None]]:
        """(code, label, mean, percent versus the vertical, its absolute value) for templates."""
        labels = {"description": _("Item as described"), "service": _("Service"), "logistics": _("Logistics")}
        rows = []
        for code in DSR_DIMENSIONS:
            versus = self.versus_vertical.get(code)
            rows.append((code, labels[code], getattr(self, code), versus, abs(versus) if versus is not None else None))
        return rows


DSR_DIMENSIONS = ("description", "service", "logistics")


class ShippingTemplate(models.Model):
    """A store's shipping-fee template (运费模板); the rule itself is shops.shipping (pure)."""

    class Mode(models.TextChoices):
        FREE = "free", _("Free shipping")
        FREE_OVER = "free_over", _("Free over an amount")
        BY_REGION = "by_region", _("By region")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="shipping_templates")
    name = models.CharField(_("name"), max_length=60)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.BY_REGION)
    free_over = MoneyField(_("free over"), null=True, blank=True)
    first_fee = MoneyField(_("first unit"), default=0)
    additional_fee = MoneyField(_("each additional unit"), default=0)
    # [{"provinces": [...], "first_fee": "20.00", "additional_fee": "10.00", "remote": true}], see shops.shipping.
    regions = models.JSONField(_("regions"), default=list, blank=True)
    is_default = models.BooleanField(_("store default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["store_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="shipping_template_name_per_store"),
            models.UniqueConstraint(
                fields=["store"], condition=Q(is_default=True), name="one_default_shipping_template_per_store"
            ),
            models.CheckConstraint(
                condition=Q(first_fee__gte=0, additional_fee__gte=0), name="shipping_fees_not_negative"
            ),
            models.CheckConstraint(condition=~Q(mode="free_over") | Q(free_over__gt=0), name="free_over_needs_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}: {self.name}"

    def rule(self) -> shipping.FeeRule:
        return shipping.FeeRule(
            mode=self.mode,
            default=shipping.Rate(self.first_fee, self.additional_fee),
            regions=shipping.regions_from_json(self.regions or []),
            free_over=self.free_over,
        )


from shops.promises import PlatformHoliday, ServiceCard, ServiceCatalogue  # noqa: E402, F401  (registers them)
