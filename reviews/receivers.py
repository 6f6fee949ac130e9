"""Listeners on lower apps' signals: a paid or closed sub-order moves its products' monthly sales."""

from __future__ import annotations

import logging

from django.db import transaction

from orders.models import SubOrder
from orders.signals import suborder_state_changed

log = logging.getLogger(__name__)

SALES_MOVING_STATES = (SubOrder.State.AWAITING_SHIPMENT, SubOrder.State.CLOSED)


def on_suborder_state_changed(sender, suborder, from_state, to_state, actor=None, **kwargs):
    if to_state not in SALES_MOVING_STATES:
        return
    product_ids = sorted(set(suborder.lines.values_list("sku__product_id", flat=True)))
    if product_ids:
        transaction.on_commit(lambda: _enqueue_sales(product_ids))


SALES_DEBOUNCE_SECONDS = 5


def _enqueue_sales(product_ids: list[int]) -> None:
    """A burst of payments (a flash sale) for one product queues one recomputation every few seconds."""
    from django.core.cache import cache

    from reviews.tasks import recompute_sales

    try:
        due = [pk for pk in product_ids if cache.add(f"reviews:sales-due:{pk}", 1, SALES_DEBOUNCE_SECONDS)]
        if due:
            recompute_sales.apply_async((due,), countdown=SALES_DEBOUNCE_SECONDS)
    except Exception:
        log.exception("could not enqueue sales of %s; the beat recomputes them", product_ids)


def connect() -> None:
    suborder_state_changed.connect(on_suborder_state_changed, dispatch_uid="reviews.sales_on_suborder_state")
