"""What insight stores: raw visitor events (written in batches by a worker), per-day rollups for merchant
analytics, precomputed recommendations, opt-outs and demand forecasts.

Figures (docs/INSIGHT.md): a store-day counts sub-orders by the day they were PAID (Asia/Shanghai local date),
GMV is their paid amount (SubOrder.payable), refunds are the amounts of refund requests by the day they were
REFUNDED, visitors are distinct visitor ids with at least one event on the store's pages that day.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


class EventKind(models.TextChoices):
    PRODUCT_VIEW = "product_view", _("Product view")
    STORE_VIEW = "store_view", _("Store view")
    SEARCH = "search", _("Search")
    ADD_TO_CART = "add_to_cart", _("Add to cart")
    LIVE_VISIT = "live_visit", _("Live room visit")


class TrafficSource(models.TextChoices):
    DIRECT = "direct", _("Direct")
    SEARCH = "search", _("Search")
    LIVE = "live", _("Live stream")
    CAMPAIGN = "campaign", _("Campaign")
    RECOMMENDATION = "recommendation", _("Recommendation")


class Event(models.Model):
    """One visitor action. Never written on the request: insight.events queues it, the worker bulk-inserts."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField()
    day = models.DateField()  # local date of `at`, so per-day queries use an index
    visitor = models.CharField(max_length=64)  # "u<id>" for shoppers, "a<cookie>" for anonymous visitors
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    store_id = models.BigIntegerField(null=True, blank=True)
    product_id = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=TrafficSource.choices, default=TrafficSource.DIRECT)
    query = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["store_id", "day"]),
            models.Index(fields=["visitor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.visitor}"


class EventOptOut(models.Model):
    """A shopper who asked not to be tracked: no events are recorded and recommendations stay generic."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_opt_out")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"opt-out of {self.user_id}"


class RolledDay(models.Model):
    """A local day whose StoreDay/ProductDay rows are final. Days without a row are computed live."""

    day = models.DateField(primary_key=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.day.isoformat()


class StoreDay(models.Model):
    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    orders = models.PositiveIntegerField(default=0)
    gmv = MoneyField(default=0)
    refunds = MoneyField(default=0)
    refund_count = models.PositiveIntegerField(default=0)
    buyers = models.PositiveIntegerField(default=0)
    new_buyers = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    # {"search": n, "live": n, ...}: visitors by the source of their first event of the day
    sources = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="one_store_day")]

    def __str__(self) -> str:
        return f"{self.store_id} {self.day}"


class ProductDay(models.Model):
    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="+")
    sku = models.ForeignKey("shops.SKU", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    units = models.PositiveIntegerField(default=0)
    gmv = MoneyField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sku", "day"], name="one_sku_day")]
        indexes = [models.Index(fields=["store", "day"])]

    def __str__(self) -> str:
        return f"{self.sku_id} {self.day}: {self.units}"


class ItemNeighbor(models.Model):
    """Item-item co-occurrence ("看了又看" / "买了又买"), trained by insight.recs.training."""

    class Kind(models.TextChoices):
        VIEWED = "viewed", _("Also viewed")
        BOUGHT = "bought", _("Also bought")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="+")
    neighbor = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "product", "neighbor"], name="one_item_neighbor")]
        indexes = [models.Index(fields=["kind", "product", "-score"])]

    def __str__(self) -> str:
        return f"{self.product_id} -> {self.neighbor_id} ({self.kind})"


class PopularProduct(models.Model):
    """Popularity per top-level category (and overall with category NULL) over the last 30 days: cold start."""

    category = models.ForeignKey("shops.Category", null=True, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["category", "-score"])]

    def __str__(self) -> str:
        return f"{self.product_id} in {self.category_id}"


class ShopperPicks(models.Model):
    """A shopper's 猜你喜欢, ranked by training (insight.recs.training): neighbours of what they bought and viewed in
    the last days, with their scores, so the home page reads one row and blends in only what happened since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    product_ids = ArrayField(models.BigIntegerField())
    scores = ArrayField(models.FloatField())
    category_ids = ArrayField(models.BigIntegerField())  # of the seeds: cold-start fill when the list is short
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"picks of {self.user_id}"


class SkuForecast(models.Model):
    """Daily demand forecast of one SKU at one location (warehouse = outlet NULL), refreshed by the worker."""

    sku = models.ForeignKey("shops.SKU", on_delete=models.CASCADE, related_name="+")
    outlet = models.ForeignKey("shops.Outlet", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    units = models.FloatField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sku", "outlet", "day"], name="one_forecast_per_sku_day",
                                    nulls_distinct=False)
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.sku_id} {self.day}: {self.units:.1f}"
