"""What customers does when the apps to its left announce something. Connected in CustomersConfig.ready().

- A sub-order paid or closed: that shopper's customer row at the store's merchant is refreshed after the commit.
- A product page served to a visitor with a session: the view is noted for footprints (one Redis push).
"""

from __future__ import annotations

from django.dispatch import receiver

from customers.services import footprints, segments
from orders.models import SubOrder
from orders.signals import suborder_state_changed
from shops.signals import product_viewed

REFRESHING_STATES = {SubOrder.State.AWAITING_SHIPMENT, SubOrder.State.CLOSED}


@receiver(suborder_state_changed, dispatch_uid="customers.refresh_customer")
def refresh_customer(sender, suborder, from_state, to_state, **kwargs) -> None:
    if to_state in REFRESHING_STATES:
        segments.refresh_suborder_customer_after_commit(suborder.pk)


@receiver(product_viewed, dispatch_uid="customers.note_product_view")
def note_product_view(sender, request, product_id, **kwargs) -> None:
    footprints.note_view(request, product_id)
