"""What orders announces. Receivers live in the listening app's ``receivers.py``, connected in its ``ready()``.

``suborder_state_changed(sender=SubOrder, suborder, from_state, to_state, actor)`` is sent by
``orders.services.transition`` (and its bulk form ``close_suborders``) inside the caller's transaction, after the
new state is saved: a receiver that starts outside work (a task, a message) defers it with
``transaction.on_commit``.
"""

from django.dispatch import Signal

suborder_state_changed = Signal()

shipping_carrier_requested = Signal()
"""``shipping_carrier_requested(sender=None, carrier)`` is sent by ``orders.services.ship`` before shipping: a receiver
returns the carrier's code for the text the merchant entered, or raises DomainError when it is not a known carrier
(logistics answers it with its carrier list)."""
