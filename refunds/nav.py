from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Refunds"), "refunds:list", order=60),
    MenuItem("seller", _("Refunds"), "refunds:seller_list", capability=Capability.HANDLE_REFUNDS, order=60),
    MenuItem("ops", _("Refund disputes"), "refunds:ops_list", order=60),
    MenuItem("ops", _("Refund policy"), "refunds:ops_policy", order=61),
]
