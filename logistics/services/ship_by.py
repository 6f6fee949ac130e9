"""Ship-by deadlines: started when a delivery sub-order is paid, from the store's service card; platform holiday
windows stop the clock (a store's own closure does not: orders paid before it keep their ship-by)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from logistics import rules
from logistics.models import ShipByClock
from orders.models import SubOrder
from shops import selectors as shop_selectors
from shops.pauses import extend_deadline


def _paused_ship_by(clock: ShipByClock) -> object:
    tz = timezone.get_current_timezone()
    if clock.presale_ship_date is not None:
        return clock.base_ship_by  # a pre-sale date is a promise of its own
    days = shop_selectors.paused_days(None, clock.started_at.astimezone(tz).date(), closures=False)
    return extend_deadline(clock.started_at, clock.base_ship_by, days, tz)


def start_clock(suborder: SubOrder) -> ShipByClock | None:
    """Called in the payment transaction (suborder row-locked by orders). Idempotent."""
    if suborder.fulfilment != SubOrder.Fulfilment.DELIVERY:
        return None
    existing = ShipByClock.objects.filter(suborder=suborder).first()
    if existing is not None:
        return existing
    card = shop_selectors.card_of(suborder.store)
    started_at = suborder.paid_at or timezone.now()
    presale = (
        card.presale_ship_date
        if card.presale_ship_date and card.presale_ship_date >= timezone.localtime(started_at).date()
        else None
    )
    tz = timezone.get_current_timezone()
    clock = ShipByClock(
        suborder=suborder,
        store_id=suborder.store_id,
        started_at=started_at,
        ship_within_hours=None if presale else card.ship_within_hours,
        presale_ship_date=presale,
        base_ship_by=rules.base_ship_by(started_at, card.ship_within_hours, presale, tz),
    )
    clock.ship_by = _paused_ship_by(clock)
    clock.save()
    SubOrder.objects.filter(pk=suborder.pk).update(ship_by=clock.ship_by)
    suborder.ship_by = clock.ship_by
    return clock


def refresh(clock: ShipByClock) -> bool:
    """Recompute a clock after holiday windows changed; True when the deadline moved."""
    ship_by = _paused_ship_by(clock)
    if ship_by == clock.ship_by:
        return False
    with transaction.atomic():
        ShipByClock.objects.filter(pk=clock.pk).update(ship_by=ship_by)
        SubOrder.objects.filter(pk=clock.suborder_id).update(ship_by=ship_by)
    clock.ship_by = ship_by
    return True


def refresh_unshipped(limit: int = 5000) -> int:
    """Every running ship-by clock again (a platform holiday window was declared or removed)."""
    clocks = ShipByClock.objects.filter(suborder__state=SubOrder.State.AWAITING_SHIPMENT).order_by("pk")[:limit]
    return sum(refresh(clock) for clock in clocks)
