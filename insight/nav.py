from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem

MENU = [
    MenuItem("seller", _("To-do"), "insight:seller_todo", order=2),
    MenuItem("seller", _("Analytics"), "insight:seller_analytics", order=3),
    MenuItem("seller", _("Demand forecast"), "insight:seller_forecast", order=13),
]
