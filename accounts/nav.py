from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem

MENU = [
    MenuItem("ops", _("Audit log"), "accounts:ops_audit", order=95),
]
