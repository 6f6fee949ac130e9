"""A store's DSR, written by the reviews worker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shops.models.catalog import Category
from shops.models.stores import Store


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
