from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Refunds"), "refunds:list", order=60),
    MenuItem("seller", _("Refunds"), "refunds:seller_list", capability=Capability.HANDLE_REFUNDS, order=60),
    MenuItem("seller", _("Finance"), "refunds:seller_statements", capability=Capability.VIEW_FINANCE, order=80),
    MenuItem("ops", _("Refund disputes"), "refunds:ops_list", order=60),
    MenuItem("ops", _("Refund policy"), "refunds:ops_policy", order=61),
    MenuItem("ops", _("Settlement"), "refunds:ops_settlement", order=70),
    MenuItem("ops", _("Commission rates"), "refunds:ops_commissions", order=71),
]
