from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("seller", _("Late shipments"), "logistics:seller_late_shipments", Capability.HANDLE_ORDERS, order=21),
]
