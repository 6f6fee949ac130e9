"""The sub-order lifecycle and every write that changes an order after checkout.

State machine (DESIGN.md "Orders", the table is orders.models.TRANSITIONS); ``transition`` (and its bulk form
``close_suborders``, through the same guard, events and signal) is the only code that changes ``SubOrder.state``:

    awaiting_payment --paid--> awaiting_shipment --shipped (delivery)--> shipped --received--> received --> completed
    awaiting_shipment --picked up with the pickup code (pickup)--> received
    awaiting_payment / awaiting_shipment / shipped / received / completed --> closed (cancelled or fully refunded)

Callers hold the sub-order's row lock (``orders.lock_objects.locked_suborder``) so concurrent requests serialise on
it; the lock order of the whole project is written down in orders.lock_objects.
Contracts used by other apps: record_event, transition, set_refund_open, close_suborder, restock_line,
mark_completed, mark_order_paid.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders import flash, signals
from orders.events import Why, why
from orders.lock_objects import (
    locked_order,
    locked_stock_draws,
    locked_suborder,
    locked_suborders_of,
    try_lock_suborder,
)
from orders.models import Order, OrderLine, StockDraw, SubOrder, SubOrderEvent
from shops import stock

log = logging.getLogger(__name__)
State = SubOrder.State

TIMESTAMP_OF = {
    State.AWAITING_SHIPMENT: "paid_at",
    State.SHIPPED: "shipped_at",
    State.RECEIVED: "received_at",
    State.COMPLETED: "completed_at",
    State.CLOSED: "closed_at",
}


# ---------------------------------------------------------------------------------------------------------------
# Events and transitions


@dataclass(frozen=True)
class Event:
    """``reason`` is an orders.events.Why (a code with parameters, rendered when read); plain text is kept only for
    words a person typed that have no code."""

    suborder: SubOrder
    kind: str
    actor: object = None
    reason: Why | str = ""
    data: dict | None = None

    def row(self, **states) -> SubOrderEvent:
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        if isinstance(self.reason, Why):
            reason = {"reason_code": self.reason.code, "reason_params": self.reason.to_params()}
        else:
            reason = {"reason": str(self.reason)[:300]}
        return SubOrderEvent(suborder=self.suborder, kind=self.kind, actor=actor, data=self.data or {}, **reason,
                             **states)  # fmt: skip


def record_event(
    suborder: SubOrder, kind: str, actor, reason: Why | str = "", data: dict | None = None
) -> SubOrderEvent:
    """Add a fact to the sub-order's timeline (who, when, why, data). Transitions call it themselves."""
    return record_events([Event(suborder, kind, actor, reason, data)])[0]


def record_events(events: list[Event], **states) -> list[SubOrderEvent]:
    """Many timeline facts in one statement (a batch of refunds); ``states`` (from_state, to_state) on each."""
    return SubOrderEvent.objects.bulk_create(event.row(**states) for event in events)


def transition(
    suborder: SubOrder, to_state: str, *, actor=None, reason: str = "", kind: str | None = None, data=None
) -> SubOrder:
    """Move ``suborder`` (row-locked by the caller) to ``to_state`` if the state machine allows it."""
    from_state = suborder.state
    check_transition(suborder, to_state)
    suborder.state = to_state
    fields = ["state"]
    if to_state in TIMESTAMP_OF:
        setattr(suborder, TIMESTAMP_OF[to_state], timezone.now())
        fields.append(TIMESTAMP_OF[to_state])
    suborder.save(update_fields=fields)
    record_events([Event(suborder, kind or to_state, actor, reason, data)], from_state=from_state, to_state=to_state)
    announce_state_change(suborder, from_state, to_state, actor)
    return suborder


def check_transition(suborder: SubOrder, to_state: str) -> None:
    """The guard of every state change (``transition`` and the bulk ``close_suborders``)."""
    if not suborder.can_become(to_state):
        raise DomainError(
            _("This sub-order is %(state)s and cannot become %(target)s.")
            % {"state": State(suborder.state).label, "target": State(to_state).label},
            code="invalid_transition",
            status_code=409,
        )


def announce_state_change(suborder: SubOrder, from_state: str, to_state: str, actor) -> None:
    signals.suborder_state_changed.send(
        sender=SubOrder, suborder=suborder, from_state=from_state, to_state=to_state, actor=actor
    )


# ---------------------------------------------------------------------------------------------------------------
# Payment and cancellation of the whole order


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


# ---------------------------------------------------------------------------------------------------------------
# Stock


def restock_line(line: OrderLine, quantity: int) -> None:
    """Put ``quantity`` units of ``line`` back on the stock rows they were drawn from (refund before shipping)."""
    restock_lines([(line, quantity)])


def restock_lines(items: list[tuple[OrderLine, int]]) -> None:
    """Put units of each line back on the stock rows they were drawn from, in one pass for many lines.

    The caller guarantees each refunded unit is restocked once; this refuses to restore more than was drawn."""
    wanted: dict[int, int] = defaultdict(int)
    for line, quantity in items:
        if quantity < 1:
            raise DomainError(_("Quantity must be at least 1."), code="invalid_quantity")
        wanted[line.pk] += quantity
    with transaction.atomic():
        left = dict(wanted)
        changed, releases = [], []
        for draw in locked_stock_draws(wanted):
            take = min(left[draw.line_id], draw.quantity - draw.restored)
            if take <= 0:
                continue
            draw.restored += take
            changed.append(draw)
            releases.append(stock.Draw(draw.stock_level_id, take))
            left[draw.line_id] -= take
        if any(left.values()):
            raise DomainError(_("More units than were reserved cannot be restocked."), code="over_restock")
        StockDraw.objects.bulk_update(changed, ["restored"])
        stock.release(releases)
        back_online: dict[int, int] = defaultdict(int)
        for line, quantity in items:
            if line.suborder.fulfilment == SubOrder.Fulfilment.DELIVERY:
                back_online[line.sku_id] += quantity
        for sku_id, quantity in back_online.items():
            flash.give_back_on_commit(sku_id, quantity)


def restock_suborder(suborder: SubOrder) -> None:
    """Put back every unit of the sub-order not restored yet."""
    for line in suborder.lines.all():
        remaining = sum(draw.quantity - draw.restored for draw in line.draws.all())
        if remaining:
            restock_line(line, remaining)


# ---------------------------------------------------------------------------------------------------------------
# Fulfilment


def carrier_code(carrier: str) -> str:
    """The carrier as the app that keeps the carrier list names it (logistics answers the signal; it raises
    DomainError for a carrier not on the list). With no receiver connected the text is kept as typed."""
    for _receiver, code in signals.shipping_carrier_requested.send(sender=None, carrier=carrier):
        carrier = code or carrier
    return carrier


def ship(suborder: SubOrder | int, *, actor, carrier: str, tracking_number: str) -> SubOrder:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise DomainError(_("Enter the carrier and the tracking number."), code="missing_tracking")
    carrier = carrier_code(carrier)
    with transaction.atomic():
        suborder = locked_suborder(suborder)
        if suborder.is_pickup:
            raise DomainError(_("A pickup order is handed over at the outlet, not shipped."), code="pickup_order")
        if suborder.state == State.SHIPPED and suborder.tracking_number == tracking_number:
            return suborder  # a repeated click: already done
        suborder.carrier, suborder.tracking_number = carrier[:60], tracking_number[:60]
        suborder.save(update_fields=["carrier", "tracking_number"])
        return transition(
            suborder,
            State.SHIPPED,
            actor=actor,
            reason=why("shipped_with", carrier=carrier),
            data={"carrier": carrier, "tracking_number": tracking_number},
        )


def confirm_pickup(suborder: SubOrder | int, *, actor, code: str) -> SubOrder:
    """The outlet enters the code the shopper shows; the goods are handed over."""
    with transaction.atomic():
        suborder = locked_suborder(suborder)
        if not suborder.is_pickup:
            raise DomainError(_("This sub-order is delivered, not picked up."), code="not_pickup")
        if suborder.state != State.AWAITING_SHIPMENT:
            raise DomainError(
                _("This sub-order is not waiting for pickup."), code="invalid_transition", status_code=409
            )
        if not suborder.pickup_code or not hmac.compare_digest(suborder.pickup_code, (code or "").strip()):
            raise DomainError(_("The pickup code is not correct."), code="wrong_pickup_code")
        return transition(
            suborder,
            State.RECEIVED,
            actor=actor,
            reason=why("picked_up_at", outlet=suborder.pickup_outlet),
            kind="picked_up",
            data={"outlet": suborder.pickup_outlet_id},
        )


def confirm_receipt(suborder: SubOrder | int, *, shopper) -> SubOrder:
    with transaction.atomic():
        suborder = locked_suborder(suborder)
        if suborder.order.shopper_id != shopper.pk:
            raise DomainError(_("Not found."), code="not_found", status_code=404)
        if suborder.state == State.RECEIVED:
            return suborder
        if suborder.state != State.SHIPPED:
            raise DomainError(
                _("Only a shipped sub-order can be confirmed as received."), code="invalid_transition", status_code=409
            )
        return transition(suborder, State.RECEIVED, actor=shopper, reason=why("receipt_confirmed"))


def mark_delivered(suborder: SubOrder | int, *, at: datetime.datetime, data: dict | None = None) -> bool:
    """Logistics: the carrier reported delivery; the auto-receive clock starts. Once only (False on a repeat)."""
    with transaction.atomic():
        suborder = locked_suborder(suborder)
        if suborder.delivered_at is not None or suborder.state != State.SHIPPED:
            return False
        suborder.delivered_at = at
        suborder.save(update_fields=["delivered_at"])
        record_event(suborder, "delivered", None, why("carrier_delivered"), data)
        return True


def auto_receive_shipped(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Beat: confirm receipt AUTO_RECEIVE_DAYS after the carrier reported delivery (or AUTO_RECEIVE_UNDELIVERED_DAYS
    after shipping when no delivery was reported), except while a refund is open."""
    now = now or timezone.now()
    delivered_cutoff = now - datetime.timedelta(days=settings.AUTO_RECEIVE_DAYS)
    shipped_cutoff = now - datetime.timedelta(days=settings.AUTO_RECEIVE_UNDELIVERED_DAYS)
    due = SubOrder.objects.filter(state=State.SHIPPED, refund_open=False).filter(
        Q(delivered_at__lte=delivered_cutoff) | Q(delivered_at__isnull=True, shipped_at__lte=shipped_cutoff)
    )
    done = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            suborder = try_lock_suborder(pk)
            if suborder is None or suborder.state != State.SHIPPED or suborder.refund_open:
                continue
            due_at = suborder.auto_receive_at()
            if due_at is None or due_at > now:
                continue
            if suborder.delivered_at:
                reason = why("auto_received_after_delivery", days=settings.AUTO_RECEIVE_DAYS)
            else:
                reason = why("auto_received", days=settings.AUTO_RECEIVE_UNDELIVERED_DAYS)
            transition(suborder, State.RECEIVED, reason=reason, kind="auto_received")
            done += 1
    return done


# ---------------------------------------------------------------------------------------------------------------
# Called by refunds and settlement


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
