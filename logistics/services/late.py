"""Late shipment: detected by a beat task, compensated once from the merchant's payable to the shopper.

Exactly once, however often or concurrently the task runs: the sub-order row lock serialises runs, the unique
LateShipment row refuses a second one, and the ledger entry's idempotency key refuses a second posting.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics import rules, signals
from logistics.models import LateShipment, ShipByClock
from logistics.services import ship_by as clocks
from orders import services as orders
from orders.events import why
from orders.lock_objects import locked_suborder
from orders.models import SubOrder
from payments import ledger
from shops.promises import ServiceCatalogue

log = logging.getLogger(__name__)
State = SubOrder.State


SHOPPER_CREDITS = "shopper_credits"


def ledger_key(suborder_id: int) -> str:
    return f"late_shipment:{suborder_id}"


def shopper_credits_account():
    """What the platform owes shoppers as credit (not money sent back through the gateway)."""
    from payments.models import Account

    return Account.objects.get_or_create(
        code=SHOPPER_CREDITS,
        defaults={"kind": Account.Kind.SHOPPER_PAYMENTS, "name": "Shopper credits (late-shipment compensation)"},
    )[0]


def overdue(now: datetime.datetime | None = None):
    """Paid delivery sub-orders past their ship-by and still not shipped."""
    now = now or timezone.now()
    return SubOrder.objects.filter(
        state=State.AWAITING_SHIPMENT, fulfilment=SubOrder.Fulfilment.DELIVERY, ship_by__lte=now
    )


def detect_late_shipments(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Beat: compensate every newly overdue sub-order. Returns how many were compensated in this run."""
    now = now or timezone.now()
    ids = list(overdue(now).filter(late_shipment__isnull=True).order_by("ship_by").values_list("pk", flat=True)[:limit])
    done = 0
    for suborder_id in ids:
        clock = ShipByClock.objects.filter(suborder_id=suborder_id).first()
        if clock is not None and clocks.refresh(clock) and clock.ship_by > now:
            continue  # a holiday window declared after payment moved the deadline
        try:
            if compensate(suborder_id, now=now):
                done += 1
        except IntegrityError:  # another run inserted it between our check and insert: theirs stands
            log.info("late shipment of %s already recorded", suborder_id)
    return done


def compensate(suborder_id: int, *, now: datetime.datetime | None = None) -> LateShipment | None:
    now = now or timezone.now()
    with transaction.atomic():
        suborder = locked_suborder(suborder_id)
        if suborder.state != State.AWAITING_SHIPMENT or suborder.ship_by is None or suborder.ship_by > now:
            return None
        if LateShipment.objects.filter(suborder=suborder).exists():
            return None
        catalogue = ServiceCatalogue.current()
        amount = rules.compensation(suborder.payable, catalogue.late_compensation_rate, catalogue.late_compensation_cap)
        late = LateShipment.objects.create(
            suborder=suborder,
            store_id=suborder.store_id,
            shopper_id=suborder.order.shopper_id,
            ship_by=suborder.ship_by,
            compensation=amount,
            ledger_key=ledger_key(suborder.pk) if amount > 0 else "",
        )
        if amount > 0:
            ledger.post(
                "late_shipment_compensation",
                f"Late shipment of {suborder.number}: compensation to the shopper",
                [(ledger.store_payable(suborder.store_id), -amount), (shopper_credits_account(), amount)],
                idempotency_key=late.ledger_key,
                reference=suborder.number,
            )
        orders.record_event(
            suborder,
            "late_shipment_compensated",
            None,
            why(
                "late_shipment_compensated",
                deadline=timezone.localtime(suborder.ship_by).strftime("%Y-%m-%d %H:%M"),
                amount=f"{amount:.2f}",
            ),
            {"amount": f"{amount:.2f}", "ship_by": suborder.ship_by.isoformat()},
        )
        transaction.on_commit(lambda: signals.late_shipment_compensated.send(sender=LateShipment, late_shipment=late))
        return late


def is_overdue(suborder: SubOrder, now: datetime.datetime | None = None) -> bool:
    """The shopper may cancel for an instant full refund (refunds asks)."""
    now = now or timezone.now()
    return (
        suborder.state == State.AWAITING_SHIPMENT
        and suborder.fulfilment == SubOrder.Fulfilment.DELIVERY
        and suborder.ship_by is not None
        and suborder.ship_by <= now
    )
