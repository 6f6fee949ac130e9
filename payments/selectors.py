"""Reads of the payments app: gateway notifications that do not get through (stuck deliveries)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from payments.models import CallbackDelivery
from payments.models.gateway import STUCK_AFTER


def stuck_deliveries(at=None) -> QuerySet[CallbackDelivery]:
    """Notifications the platform has not acknowledged ``STUCK_AFTER`` after the shopper chose, oldest first:
    the shopper's payment waits on them."""
    at = at or timezone.now()
    return (
        CallbackDelivery.objects.filter(acknowledged_at__isnull=True, created_at__lte=at - STUCK_AFTER)
        .select_related("payment", "payment__order")
        .order_by("created_at", "pk")
    )
