"""What promotions asks or announces. Receivers live in the answering app's ``receivers.py``, connected in its
``ready()``.

``first_order_stores_requested(sender=None, shopper, store_ids)`` is sent while a cart is priced: each receiver
returns the subset of ``store_ids`` (a set of Store ids) where ``shopper`` (a User, or None/anonymous) has never
placed an order, for first-order gifts. orders answers it; the stores every receiver names are first orders, and
with no receiver connected every store counts as one.
"""

from django.dispatch import Signal

first_order_stores_requested = Signal()
