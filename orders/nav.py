from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Flash sales"), "orders:flash_list", order=39),
    MenuItem("storefront", _("Cart"), "orders:cart", order=40),
    MenuItem("storefront", _("My orders"), "orders:order_list", order=41),
    MenuItem("account", _("My orders"), "orders:order_list", order=10),
    MenuItem("seller", _("Orders"), "orders:seller_orders", Capability.HANDLE_ORDERS, order=20),
]
