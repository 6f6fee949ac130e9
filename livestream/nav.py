from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Live"), "livestream:list", order=40),
    MenuItem("seller", _("Live streams"), "livestream:seller_streams", Capability.MANAGE_LIVESTREAM, order=60),
    MenuItem("seller", _("Creators"), "livestream:seller_creator_policy", Capability.MANAGE_LIVESTREAM, order=61),
    MenuItem("creator", _("My streams"), "livestream:creator_home", order=10),
    MenuItem("creator", _("New stream"), "livestream:creator_stream_new", order=20),
    MenuItem("creator", _("Creator profile"), "livestream:creator_profile", order=30),
]
