from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Following"), "customers:follows", order=70),
    MenuItem("seller", _("Customers"), "customers:seller_list", capability=Capability.VIEW_STORE, order=65),
    MenuItem(
        "seller", _("Targeted coupons"), "customers:seller_campaigns", capability=Capability.MANAGE_PROMOTIONS, order=66
    ),
]
