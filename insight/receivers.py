"""insight listens: add-to-cart events from cart writes, and rollup invalidation when a payment lands on a day the
rollup worker already closed (only back-dated data does that)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils import timezone

from insight import events
from insight.analytics import rollup
from orders.models import CartItem, SubOrder
from orders.signals import suborder_state_changed


def cart_item_saved(sender, instance: CartItem, created: bool, **kwargs):
    request = events.current_request.get()
    if request is None:
        return
    events.push("add_to_cart", request, sku=instance.sku_id, after_commit=True)


def suborder_paid(sender, suborder, from_state, to_state, **kwargs):
    if to_state != SubOrder.State.AWAITING_SHIPMENT or suborder.paid_at is None:
        return
    # One indexed DELETE by primary key; a no-op unless the day was already rolled (back-dated data).
    rollup.forget_day(timezone.localdate(suborder.paid_at))


def connect() -> None:
    post_save.connect(cart_item_saved, sender=CartItem, dispatch_uid="insight-cart-item")
    suborder_state_changed.connect(suborder_paid, dispatch_uid="insight-suborder-paid")
