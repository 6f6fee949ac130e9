"""Reads: a shopper's orders, a merchant's sub-orders. Every query is scoped to who asks."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404

from orders.models import Order, OrderLine, SubOrder, SubOrderEvent
from shops.permissions import Capability, stores_for


def suborder_prefetch():
    return [
        Prefetch("lines", queryset=OrderLine.objects.prefetch_related("discounts")),
        Prefetch("events", queryset=SubOrderEvent.objects.select_related("actor")),
        "tracking_events",  # logistics' carrier reports (ordered oldest first by their model)
    ]


def orders_of(shopper) -> QuerySet[Order]:
    return Order.objects.filter(shopper=shopper).order_by("-created_at", "-id")


def order_for_shopper(shopper, number: str) -> Order:
    """404 unless the order is the shopper's."""
    suborders = SubOrder.objects.select_related("store", "pickup_outlet", "invoice").prefetch_related(
        *suborder_prefetch()
    )
    return get_object_or_404(
        Order.objects.prefetch_related(Prefetch("suborders", queryset=suborders)), shopper=shopper, number=number
    )


def suborders_for_merchant(user, store=None, state: str | None = None) -> QuerySet[SubOrder]:
    """Sub-orders of the stores where ``user`` may handle orders (optionally one store, one state)."""
    stores = stores_for(user, Capability.HANDLE_ORDERS)
    rows = SubOrder.objects.filter(store__in=stores).select_related("order", "store", "pickup_outlet", "invoice")
    if store is not None:
        rows = rows.filter(store=store)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-id")


def suborder_for_merchant(user, pk, store=None) -> SubOrder:
    return get_object_or_404(suborders_for_merchant(user, store).prefetch_related(*suborder_prefetch()), pk=pk)


# Refunds' status of a paid refund. Orders reads refund lines through the reverse relation (``refund_lines``) and
# never imports refunds; tests/refunds checks this matches RefundRequest.Status.REFUNDED.
REFUND_PAID = "refunded"


def refunded_units(suborder_ids: Iterable[int]) -> dict[int, int]:
    """Order line id -> units refunded to the shopper (paid refunds only), for the lines of ``suborder_ids``.
    Lines with nothing refunded are left out."""
    rows = (
        OrderLine.objects.filter(suborder_id__in=list(suborder_ids), refund_lines__request__status=REFUND_PAID)
        .values("pk")
        .annotate(units=Sum("refund_lines__quantity"))
        .values_list("pk", "units")
    )
    return dict(rows)


def fully_refunded(suborder_ids: Iterable[int]) -> list[int]:
    """The sub-orders among ``suborder_ids`` whose every unit is refunded (in the order given)."""
    suborder_ids = list(suborder_ids)
    refunded = refunded_units(suborder_ids)
    short = {
        suborder_id
        for line_id, suborder_id, quantity in OrderLine.objects.filter(suborder_id__in=suborder_ids).values_list(
            "pk", "suborder_id", "quantity"
        )
        if refunded.get(line_id, 0) < quantity
    }
    return [suborder_id for suborder_id in suborder_ids if suborder_id not in short]
