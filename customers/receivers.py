"""How customers listens to the apps to its left: paid or closed sub-orders refresh that shopper's customer row
at the store's merchant; a signed-in product view is noted for footprints."""

from __future__ import annotations

from orders.models import SubOrder
from orders.signals import suborder_state_changed
from shops.models import Store
from shops.signals import product_viewed

REFRESHING_STATES = {SubOrder.State.AWAITING_SHIPMENT, SubOrder.State.CLOSED}


def on_suborder_state_changed(sender, suborder, from_state, to_state, **kwargs):
    if to_state not in REFRESHING_STATES:
        return
    from customers.services.segments import refresh_after_commit

    merchant_id = Store.objects.filter(pk=suborder.store_id).values_list("merchant_id", flat=True).first()
    shopper_id = suborder.order.shopper_id
    if merchant_id is not None:
        refresh_after_commit([merchant_id], [shopper_id])


def on_product_viewed(sender, request, product_id, **kwargs):
    from customers.services import footprints

    footprints.note_view(request, product_id)


def connect() -> None:
    suborder_state_changed.connect(on_suborder_state_changed, dispatch_uid="customers-suborder-state")
    product_viewed.connect(on_product_viewed, dispatch_uid="customers-product-viewed")
