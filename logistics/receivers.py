"""What logistics does when orders and shops announce something (connected in LogisticsConfig.ready)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from logistics import signals
from orders.models import SubOrder
from orders.signals import shipping_carrier_requested, suborder_state_changed
from shops.models import PlatformHoliday
from shops.signals import pauses_changed


def on_state_changed(sender, suborder, from_state, to_state, actor=None, **kwargs):
    from logistics.services import ship_by, tracking

    if to_state == SubOrder.State.AWAITING_SHIPMENT:
        ship_by.start_clock(suborder)
    elif to_state == SubOrder.State.SHIPPED:
        if getattr(settings, "LOGISTICS_SANDBOX_CARRIER", True):
            tracking.start_sandbox_parcel(suborder)
        transaction.on_commit(lambda: signals.parcel_shipped.send(sender=SubOrder, suborder=suborder))


def on_pauses_changed(sender, store_id=None, **kwargs):
    from logistics.services import ship_by

    if sender is PlatformHoliday:
        ship_by.refresh_unshipped()
    elif store_id is not None:  # a store's closure: its running clocks (most keep their deadline)
        ship_by.refresh_unshipped(store_id=store_id)


def on_carrier_requested(sender, carrier: str, **kwargs) -> str:
    """The carrier's code for what the merchant typed (code, Chinese or English name); 400 when not on the list."""
    from django.utils.translation import gettext as _

    from logistics import carriers
    from marketplace.api import DomainError

    found = carriers.find(carrier)
    if found is None:
        raise DomainError(
            _("Choose a carrier from the list (%(names)s).")
            % {"names": ", ".join(name for _code, name in carriers.choices())},
            code="unknown_carrier",
        )
    return found.code


def connect() -> None:
    suborder_state_changed.connect(on_state_changed, dispatch_uid="logistics-suborder-state")
    pauses_changed.connect(on_pauses_changed, dispatch_uid="logistics-pauses")
    shipping_carrier_requested.connect(on_carrier_requested, dispatch_uid="logistics-carrier")
