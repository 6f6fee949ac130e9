from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("seller", _("Finance"), "settlement:seller_statements", capability=Capability.VIEW_FINANCE, order=80),
    MenuItem("ops", _("Settlement"), "settlement:ops_settlement", order=70),
    MenuItem("ops", _("Commission rates"), "settlement:ops_commissions", order=71),
]
