"""The category tree, products, their SKUs and bulk CSV product imports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField
from shops.models.stores import Store


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
