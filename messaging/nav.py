from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Messages"), "messaging:hub", order=90),
    MenuItem("seller", _("Customer chat"), "messaging:seller_inbox", Capability.CHAT_WITH_SHOPPERS, order=45),
    MenuItem("seller", _("Notifications"), "messaging:seller_notifications", order=95),
]
