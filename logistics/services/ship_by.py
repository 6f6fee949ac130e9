"""Ship-by deadlines: started when a delivery sub-order is paid, from the store's service card; platform holiday
windows stop the clock, and so does a store closure already running when the sub-order was paid. A closure that
begins later does not: orders paid before it keep their ship-by, unless the shopper agrees to wait while the store
is closed (``agree_to_wait``), after which its closure days stop that sub-order's clock too."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import rules
from logistics.models import ShipByClock
from logistics.selectors import shoppers_suborder
from marketplace.api import DomainError
from orders import services as orders
from orders.events import why
from orders.lock_objects import locked_suborder
from orders.models import SubOrder
from shops import selectors as shop_selectors
from shops.pauses import extend_deadline


def _paused_ship_by(clock: ShipByClock, *, with_closures: bool | None = None) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    if clock.presale_ship_date is not None:
        return clock.base_ship_by  # a pre-sale date is a promise of its own
    agreed = clock.closures_agreed_at is not None if with_closures is None else with_closures
    since = clock.started_at.astimezone(tz).date()
    # Platform holidays always; the store's closures already running when it was paid (it was paid while the
    # store was closed); every closure of the store once the shopper agreed to wait.
    days = shop_selectors.holiday_days(since) | shop_selectors.closure_days(
        clock.store_id, since, in_effect_at=None if agreed else clock.started_at
    )
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


def refresh_unshipped(limit: int = 5000, *, store_id: int | None = None) -> int:
    """Every running ship-by clock again (a platform holiday window was declared or removed); with ``store_id``,
    the clocks of that store (one of its closures changed: reopening early gives days back)."""
    clocks = ShipByClock.objects.filter(suborder__state=SubOrder.State.AWAITING_SHIPMENT)
    if store_id is not None:
        clocks = clocks.filter(store_id=store_id)
    return sum(refresh(clock) for clock in clocks.order_by("pk")[:limit])


# --- the shopper agrees to wait while the store is closed -------------------------------------------------------


def _running_clock(suborder: SubOrder, now: datetime.datetime) -> ShipByClock | None:
    """The clock of a delivery sub-order still waiting to ship and not yet past its deadline, else None."""
    if (
        suborder.state != SubOrder.State.AWAITING_SHIPMENT
        or suborder.fulfilment != SubOrder.Fulfilment.DELIVERY
        or suborder.ship_by is None
        or suborder.ship_by <= now
    ):
        return None
    return ShipByClock.objects.filter(suborder=suborder).first()


def ship_by_if_waiting(suborder: SubOrder, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The later ship-by this sub-order would get if the shopper agreed to wait while the store is closed; None
    when there is nothing to agree to (no closure before the deadline, already agreed, shipped or overdue)."""
    return wait_terms(suborder, now)[0]


def wait_terms(suborder: SubOrder, now: datetime.datetime | None = None) -> tuple[datetime.datetime | None, bool]:
    """(``ship_by_if_waiting``, whether the shopper already agreed to wait), from one read of the clock."""
    now = now or timezone.now()
    clock = _running_clock(suborder, now)
    if clock is None:
        return None, ShipByClock.objects.filter(suborder=suborder, closures_agreed_at__isnull=False).exists()
    if clock.closures_agreed_at is not None:
        return None, True
    later = _paused_ship_by(clock, with_closures=True)
    return (later if later > suborder.ship_by else None), False


def agree_to_wait(*, shopper, suborder_id: int) -> SubOrder:
    """The shopper agrees that the store's holiday closure stops their sub-order's ship-by (which it otherwise
    keeps). Idempotent; another shopper's sub-order is 404; refused (409, nothing changes) when the store is not
    closed before the deadline, or the sub-order is shipped, closed or already overdue."""
    shoppers_suborder(shopper, suborder_id)
    now = timezone.now()
    with transaction.atomic():
        suborder = locked_suborder(suborder_id)
        clock = _running_clock(suborder, now)
        if clock is not None and clock.closures_agreed_at is not None:
            return suborder  # agreed before: a repeated click
        if clock is None:
            raise DomainError(
                _("Only an order waiting to ship, before its ship-by time, can wait for the store."),
                code="not_waiting_to_ship",
                status_code=409,
            )
        later = _paused_ship_by(clock, with_closures=True)
        if later <= clock.ship_by:
            raise DomainError(
                _("The store is not closed before this order's ship-by time: there is nothing to wait for."),
                code="no_closure_before_ship_by",
                status_code=409,
            )
        clock.closures_agreed_at, clock.ship_by = now, later
        clock.save(update_fields=["closures_agreed_at", "ship_by"])
        SubOrder.objects.filter(pk=suborder.pk).update(ship_by=later)
        suborder.ship_by = later
        orders.record_event(
            suborder,
            "ship_by_extended",
            shopper,
            why("shopper_waits_for_closure", deadline=timezone.localtime(later).strftime("%Y-%m-%d %H:%M")),
            {"ship_by": later.isoformat()},
        )
    return suborder
