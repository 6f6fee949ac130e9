from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Refunds"), "refunds:list", order=60),
    # An entry of the shopper's account page ("Me": accounts shows every "account" entry without knowing the apps).
    MenuItem("account", _("My refunds"), "refunds:list", order=40),
    MenuItem("account", _("My credits"), "refunds:credits", order=50),
    MenuItem("seller", _("Refunds"), "refunds:seller_list", capability=Capability.HANDLE_REFUNDS, order=60),
    MenuItem("ops", _("Refund disputes"), "refunds:ops_list", order=60),
    MenuItem("ops", _("Refund policy"), "refunds:ops_policy", order=61),
]
