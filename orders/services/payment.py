"""Payment and cancellation of a whole order (and giving its coupons and campaign budgets back)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders.events import Why, why
from orders.lock_objects import (
    locked_order,
    locked_suborders_of,
)
from orders.models import Order
from orders.services.lifecycle import State, transition
from orders.services.restocking import restock_suborder


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


@transaction.atomic
def mark_order_paid(order: Order | int, *, reference: str, at: datetime.datetime | None = None) -> bool:
    """The gateway confirmed payment: the order is paid and each sub-order awaits shipment (or pickup).

    Returns False (and changes nothing) when the order cannot take a payment any more (cancelled, already paid);
    the caller then refunds the money."""
    order = locked_order(order)
    if order.status != Order.Status.AWAITING_PAYMENT:
        return False
    order.status = Order.Status.PAID
    order.paid_at = at or timezone.now()
    order.save(update_fields=["status", "paid_at"])
    for suborder in locked_suborders_of(order):
        transition(
            suborder, State.AWAITING_SHIPMENT, reason=why("payment_received"), kind="paid", data={"payment": reference}
        )
        if suborder.is_pickup:
            suborder.pickup_code = new_pickup_code()
            suborder.save(update_fields=["pickup_code"])
    return True


def cancel_order(order: Order | int, *, actor=None, reason: Why | str) -> Order:
    """Cancel an unpaid order: close its sub-orders, put the stock back, give the coupons back."""
    with transaction.atomic():
        order = locked_order(order)
        if order.status != Order.Status.AWAITING_PAYMENT:
            raise DomainError(_("Only an unpaid order can be cancelled."), code="not_cancellable", status_code=409)
        order.status = Order.Status.CANCELLED
        order.cancelled_at = timezone.now()
        order.cancel_reason = (reason.code if isinstance(reason, Why) else reason)[:200]
        order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        # The lock order of orders.lock_objects: sub-orders, then coupons, then stock (checkout too takes coupons
        # before stock: consume, then reserve).
        suborders = locked_suborders_of(order)
        release_promotions(order)
        for suborder in suborders:
            transition(suborder, State.CLOSED, actor=actor, reason=reason, kind="cancelled")
            restock_suborder(suborder)
    return order


def cancel_expired_orders(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Beat: cancel unpaid orders past their payment deadline. Safe to run concurrently and repeatedly."""
    now = now or timezone.now()
    cancelled = 0
    ids = list(
        Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, expires_at__lte=now).values_list("pk", flat=True)[
            :limit
        ]
    )
    for order_id in ids:
        try:
            cancel_order(order_id, reason=why("not_paid_in_time", minutes=timeout_minutes()))
            cancelled += 1
        except DomainError:  # paid (or cancelled) meanwhile: nothing to do
            continue
    return cancelled


def timeout_minutes() -> int:
    return settings.UNPAID_ORDER_TIMEOUT_MINUTES


def release_promotions(order: Order) -> None:
    release_promotions_of([order.pk])


def release_promotions_of(order_ids: list[int]) -> None:
    from promotions.services.consumption import release_for_orders

    if not order_ids:
        return
    release_for_orders(order_ids=order_ids)
    Order.objects.filter(pk__in=order_ids).update(promotions_released=True)
