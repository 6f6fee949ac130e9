from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem

MENU = [MenuItem("ops", _("Stuck payments"), "payments:ops_stuck", order=55)]
