"""Carts, orders split into one sub-order per store, order lines, their discounts and stock draws, and events.

Writes happen in orders.services (one transaction per business operation); the sub-order state machine lives in
``orders.services.transition`` and nowhere else. One module per concern; every name is re-exported here, so
``from orders.models import SubOrder`` keeps working, the app label stays ``orders`` and migrations still find
``orders.models.private_storage`` and ``orders.models.invoice_path``.
"""

from orders.models.carts import Cart, CartItem
from orders.models.invoices import Invoice, PrivateStorage, invoice_path, private_storage
from orders.models.lines import OrderLine, OrderLineDiscount, StockDraw
from orders.models.orders import TRANSITIONS, Order, SubOrder, SubOrderEvent

__all__ = [
    "TRANSITIONS",
    "Cart",
    "CartItem",
    "Invoice",
    "Order",
    "OrderLine",
    "OrderLineDiscount",
    "PrivateStorage",
    "StockDraw",
    "SubOrder",
    "SubOrderEvent",
    "invoice_path",
    "private_storage",
]
