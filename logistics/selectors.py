"""Reads of logistics, scoped to who asks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import LateShipment, TrackingEvent
from marketplace.api import DomainError
from orders.models import OrderLine, SubOrder
from shops.models import Store


def late_shipments_of(stores) -> QuerySet[LateShipment]:
    return LateShipment.objects.filter(store__in=stores).select_related("suborder").order_by("-detected_at", "-id")


def late_compensations_of(shopper) -> QuerySet[LateShipment]:
    """The shopper's own late-shipment compensations that credited something (a zero compensation credits nothing)."""
    return LateShipment.objects.filter(shopper=shopper, compensation__gt=0)


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


def late_shipment_figures(since: datetime.datetime, until: datetime.datetime, *, by_day: bool = False) -> list[dict]:
    """Per vertical and brand (and per local day of the deadline): delivery sub-orders whose ship-by fell in
    (since, until], and how many of them were late: shipped after the deadline, still unshipped past it, or
    compensated as late. Judged on the deadline, so the day is the ship-by's day. A sub-order closed before
    shipping without being late was never due. Each sub-order counts towards the vertical of its first line.

    Rows: {"vertical_id", "brand", "bucket" (a date, or None without by_day), "due", "late"}.
    """
    first_line_vertical = (
        OrderLine.objects.filter(suborder=OuterRef("pk"))
        .order_by("pk")
        .values("sku__product__category__vertical_id")[:1]
    )
    late = Q(late_shipment__isnull=False) | Q(shipped_at__gt=F("ship_by")) | SubOrder.unshipped()
    bucket = (
        TruncDate("ship_by", tzinfo=timezone.get_default_timezone())
        if by_day
        else Value(None, output_field=DateField())
    )
    rows = (
        SubOrder.objects.filter(fulfilment=SubOrder.Fulfilment.DELIVERY, ship_by__gt=since, ship_by__lte=until)
        .exclude(SubOrder.closed_unshipped(), late_shipment__isnull=True)
        .annotate(vertical_id=Subquery(first_line_vertical), brand=F("store__brand"), bucket=bucket)
        .values("vertical_id", "brand", "bucket")
        .annotate(due=Count("pk"), late=Count("pk", filter=late))
        .order_by()
    )
    return list(rows)


def shoppers_suborder(shopper, suborder_id: int) -> SubOrder:
    """The shopper's own sub-order; anyone else's (or none) is a 404."""
    suborder = SubOrder.objects.filter(pk=suborder_id, order__shopper=shopper).first()
    if suborder is None:
        raise DomainError(_("Not found."), code="not_found", status_code=404)
    return suborder


def wait_offer(shopper, suborder_id: int) -> dict:
    """The shopper's sub-order: its ship-by, the later one if they agree to wait while the store is closed, and
    whether they already agreed (another shopper's sub-order: 404)."""
    from logistics.services.ship_by import wait_terms

    suborder = shoppers_suborder(shopper, suborder_id)
    later, agreed = wait_terms(suborder)
    return {"ship_by": suborder.ship_by, "ship_by_if_waiting": later, "agreed": agreed}


def tracking_of(suborder) -> list[TrackingEvent]:
    return list(TrackingEvent.objects.filter(suborder=suborder).order_by("occurred_at", "id"))
