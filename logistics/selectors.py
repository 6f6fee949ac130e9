"""Reads of logistics, scoped to who asks."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from logistics.models import LateShipment, TrackingEvent
from shops.models import Store


def late_shipments_of(stores) -> QuerySet[LateShipment]:
    return LateShipment.objects.filter(store__in=stores).select_related("suborder").order_by("-detected_at", "-id")


def late_shipment_counts(stores) -> list[dict]:
    """Per store: how many sub-orders shipped late and what it cost (customer experience figures read it)."""
    rows = {
        row["store"]: row
        for row in LateShipment.objects.filter(store__in=stores)
        .values("store")
        .annotate(count=Count("pk"), total=Sum("compensation"))
    }
    return [
        {
            "store": store.pk,
            "name": store.name,
            "late_shipments": rows.get(store.pk, {}).get("count", 0),
            "compensation": rows.get(store.pk, {}).get("total") or Decimal("0.00"),
        }
        for store in Store.objects.filter(pk__in=stores).order_by("name")
    ]


def tracking_of(suborder) -> list[TrackingEvent]:
    return list(TrackingEvent.objects.filter(suborder=suborder).order_by("occurred_at", "id"))
