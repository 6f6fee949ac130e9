from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("To review"), "reviews:pending", order=55),
    # A tab on the shopper's order list (orders shows every "order_tabs" entry without knowing the apps).
    MenuItem("order_tabs", _("To review"), "reviews:pending", order=10),
    MenuItem("seller", _("Reviews"), "reviews:seller_reviews", capability=Capability.VIEW_STORE, order=65),
    MenuItem("ops", _("Customer experience"), "reviews:ops_experience", order=50),
    MenuItem("ops", _("Reviews"), "reviews:ops_reviews", order=51),
]
