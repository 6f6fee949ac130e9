"""What settlement asks of higher apps. Receivers live in the answering app's ``receivers.py``, connected in its
``ready()``.

``settlement_adjustments(sender=SubOrder, suborder)`` is sent while a sub-order is being settled (under its row
lock, inside the settlement's transaction). Each receiver returns ``[(payments Account, Decimal amount), ...]``:
amounts taken out of the store's share and put into that account (e.g. a livestream creator's payable), or an empty
list. Amounts must not be negative.
"""

from django.dispatch import Signal

settlement_adjustments = Signal()
