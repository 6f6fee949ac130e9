"""Outlets (physical stores) and the stock pools a SKU's units sit in."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from shops.models.catalog import SKU
from shops.models.stores import Store


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
