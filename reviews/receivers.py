"""Listeners on lower apps' signals: a paid or closed sub-order moves its products' monthly sales."""

from __future__ import annotations

import logging

from django.db import transaction

from orders.models import OrderLine, SubOrder
from orders.signals import suborder_state_changed

log = logging.getLogger(__name__)

SALES_MOVING_STATES = (SubOrder.State.AWAITING_SHIPMENT, SubOrder.State.CLOSED)


def on_suborder_state_changed(sender, suborder, from_state, to_state, actor=None, **kwargs):
    if to_state not in SALES_MOVING_STATES:
        return
    suborder_id = suborder.pk
    # Looked up after the commit, so a batch closing many sub-orders adds no statement to its transaction.
    transaction.on_commit(lambda: _enqueue_sales(_products_of(suborder_id)))


def _products_of(suborder_id: int) -> list[int]:
    return sorted(set(OrderLine.objects.filter(suborder_id=suborder_id).values_list("sku__product_id", flat=True)))


SALES_DEBOUNCE_SECONDS = 5


def _enqueue_sales(product_ids: list[int]) -> None:
    """A burst of payments (a flash sale) for one product queues one recomputation every few seconds."""
    from django.core.cache import cache

    from reviews.tasks import recompute_sales

    if not product_ids:
        return
    try:
        due = [pk for pk in product_ids if cache.add(f"reviews:sales-due:{pk}", 1, SALES_DEBOUNCE_SECONDS)]
        if due:
            recompute_sales.apply_async((due,), countdown=SALES_DEBOUNCE_SECONDS)
    except Exception:
        log.exception("could not enqueue sales of %s; the beat recomputes them", product_ids)


def connect() -> None:
    suborder_state_changed.connect(on_suborder_state_changed, dispatch_uid="reviews.sales_on_suborder_state")
