from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem
from shops.permissions import Capability

MENU = [
    MenuItem("storefront", _("Search"), "shops:search", order=10),
    MenuItem("seller", _("Overview"), "shops:seller_dashboard", order=1),
    MenuItem("seller", _("Products"), "shops:seller_products", Capability.MANAGE_CATALOG, order=10),
    MenuItem("seller", _("Import"), "shops:seller_imports", Capability.MANAGE_CATALOG, order=11),
    MenuItem("seller", _("Outlets"), "shops:seller_outlets", Capability.MANAGE_CATALOG, order=12),
    MenuItem("seller", _("Shipping templates"), "shops:seller_shipping_templates", Capability.MANAGE_CATALOG, order=13),
    MenuItem("seller", _("Holiday closure"), "shops:seller_closures", Capability.MANAGE_STORE, order=80),
    MenuItem("seller", _("Service card"), "shops:seller_service_card", Capability.MANAGE_STORE, order=79),
    MenuItem("seller", _("Staff"), "shops:seller_staff", Capability.MANAGE_STORE, order=81),
    MenuItem("seller", _("Brand authorization"), "shops:seller_brand", Capability.MANAGE_STORE, order=82),
    MenuItem("ops", _("Overview"), "shops:ops_dashboard", order=1),
    MenuItem("ops", _("Brand reviews"), "shops:ops_brand_queue", order=10),
    MenuItem("ops", _("Merchants"), "shops:ops_merchants", order=11),
    MenuItem("ops", _("Stores"), "shops:ops_stores", order=12),
    MenuItem("ops", _("Service promises"), "shops:ops_service_catalogue", order=13),
]
