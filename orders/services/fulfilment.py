"""Shipping, pickup at an outlet, receipt (by the shopper, on delivery, or automatically)."""

from __future__ import annotations

import datetime
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders import signals
from orders.events import why
from orders.lock_objects import (
    locked_suborder,
    try_lock_suborder,
)
from orders.models import SubOrder
from orders.services.lifecycle import State, record_event, transition


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
