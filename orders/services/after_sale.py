"""Writes refunds and settlement call: the refund pause of the receipt timer, closing refunded sub-orders,
completion at settlement.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from orders.events import Why, why
from orders.lock_objects import locked_suborder
from orders.models import SubOrder, SubOrderEvent
from orders.services.lifecycle import Event, State, announce_state_change, check_transition, transition
from orders.services.payment import release_promotions_of


def set_refund_open(suborder: SubOrder | int, is_open: bool) -> None:
    """Refunds: pause (True) or resume (False) the automatic receipt timer."""
    set_refund_open_many([getattr(suborder, "pk", suborder)], is_open)


def set_refund_open_many(suborder_ids: list[int], is_open: bool) -> None:
    if suborder_ids:
        SubOrder.objects.filter(pk__in=suborder_ids).exclude(refund_open=is_open).update(refund_open=is_open)


def close_suborder(suborder: SubOrder | int, actor, reason: str) -> SubOrder:
    """Close a sub-order (fully refunded); see close_suborders."""
    with transaction.atomic():
        suborder = locked_suborder(suborder)
        close_suborders([suborder], actor, reason)
        return suborder


def close_suborders(suborders: list[SubOrder], actor, reason: Why | str) -> None:
    """Close sub-orders (fully refunded) that the caller has row-locked, in a few statements for many, with the same
    guard, timeline events and ``suborder_state_changed`` signal as ``transition``. When every sub-order of an order
    is closed before shipping, the order's coupons and campaign budgets are given back. Stock is the caller's
    (restock_lines for the refunded lines)."""
    closing = [suborder for suborder in suborders if suborder.state != State.CLOSED]
    for suborder in closing:
        check_transition(suborder, State.CLOSED)
    if not closing:
        return
    now = timezone.now()
    SubOrder.objects.filter(pk__in=[suborder.pk for suborder in closing]).update(state=State.CLOSED, closed_at=now)
    SubOrderEvent.objects.bulk_create(
        Event(suborder, State.CLOSED, actor, reason).row(from_state=suborder.state, to_state=State.CLOSED)
        for suborder in closing
    )
    from_states = {suborder.pk: suborder.state for suborder in closing}
    for suborder in closing:
        suborder.state, suborder.closed_at = State.CLOSED, now
    for suborder in closing:
        announce_state_change(suborder, from_states[suborder.pk], State.CLOSED, actor)
    order_ids = {suborder.order_id for suborder in closing}
    still_open = set(
        SubOrder.objects.filter(order_id__in=order_ids)
        .exclude(SubOrder.closed_unshipped())
        .values_list("order_id", flat=True)
    )
    release_promotions_of(sorted(order_ids - still_open))


def mark_completed(suborder: SubOrder | int, actor=None, reason: Why | str = "") -> SubOrder:
    """Settlement: received -> completed."""
    with transaction.atomic():
        suborder = locked_suborder(suborder)
        if suborder.state == State.COMPLETED:
            return suborder
        return transition(suborder, State.COMPLETED, actor=actor, reason=reason or why("settled"), kind="completed")
