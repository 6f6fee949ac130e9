"""What orders announces. Receivers live in the listening app's ``receivers.py``, connected in its ``ready()``.

``suborder_state_changed(sender=SubOrder, suborder, from_state, to_state, actor)`` is sent by
``orders.services.transition`` inside the caller's transaction, after the new state is saved: a receiver that
starts outside work (a task, a message) defers it with ``transaction.on_commit``.
"""

from django.dispatch import Signal

suborder_state_changed = Signal()
