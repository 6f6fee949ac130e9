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

One module per concern: lifecycle (events, transition), payment (paying and cancelling a whole order), restocking,
fulfilment (shipping, pickup, receipt), after_sale (what refunds and settlement call). Every name is re-exported
here, so ``from orders import services`` and ``orders.services.<name>`` keep working.
"""

import logging

from orders.services.after_sale import (
    close_suborder,
    close_suborders,
    mark_completed,
    set_refund_open,
    set_refund_open_many,
)
from orders.services.fulfilment import (
    auto_receive_shipped,
    carrier_code,
    confirm_pickup,
    confirm_receipt,
    mark_delivered,
    ship,
)
from orders.services.lifecycle import (
    TIMESTAMP_OF,
    Event,
    State,
    announce_state_change,
    check_transition,
    record_event,
    record_events,
    transition,
)
from orders.services.payment import (
    cancel_expired_orders,
    cancel_order,
    mark_order_paid,
    new_pickup_code,
    release_promotions,
    release_promotions_of,
    timeout_minutes,
)
from orders.services.restocking import restock_line, restock_lines, restock_suborder

log = logging.getLogger(__name__)

__all__ = [
    "TIMESTAMP_OF",
    "Event",
    "State",
    "announce_state_change",
    "auto_receive_shipped",
    "cancel_expired_orders",
    "cancel_order",
    "carrier_code",
    "check_transition",
    "close_suborder",
    "close_suborders",
    "confirm_pickup",
    "confirm_receipt",
    "mark_completed",
    "mark_delivered",
    "mark_order_paid",
    "new_pickup_code",
    "record_event",
    "record_events",
    "release_promotions",
    "release_promotions_of",
    "restock_line",
    "restock_lines",
    "restock_suborder",
    "set_refund_open",
    "set_refund_open_many",
    "ship",
    "timeout_minutes",
    "transition",
]
