"""What promotions asks or announces. Receivers live in the answering app's ``receivers.py``, connected in its
``ready()``.

``first_order_stores_requested(sender=None, shopper, store_ids)`` is sent while a cart is priced: each receiver
returns the subset of ``store_ids`` (a set of Store ids) where ``shopper`` (a User, or None/anonymous) has never
placed an order, for first-order gifts. orders answers it; the stores every receiver names are first orders, and
with no receiver connected every store counts as one.

``live_featured_products_requested(sender=None, stream_ids)`` is sent while a cart holding lines bought in a live
room (source ``live:<stream id>``) is priced: each receiver returns ``{stream id: set of Product ids}`` naming, of
``stream_ids``, the streams that are live now and the products each features. livestream answers it; a live price
applies only to a featured product bought in its stream's room while it is live, so with no receiver connected no
live price applies.
"""

from django.dispatch import Signal

first_order_stores_requested = Signal()
live_featured_products_requested = Signal()
