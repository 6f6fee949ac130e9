from django.utils.translation import gettext_lazy as _

from marketplace.navigation import MenuItem

MENU = [
    MenuItem("storefront", _("Coupons"), "promotions:coupon_center", order=40),
    MenuItem("seller", _("Promotions"), "promotions:seller_promotions", capability="manage_promotions", order=40),
    MenuItem("seller", _("Campaigns"), "promotions:seller_campaigns", capability="manage_promotions", order=41),
    MenuItem("ops", _("Campaigns"), "promotions:ops_campaigns", order=40),
    MenuItem("ops", _("Platform coupons"), "promotions:ops_coupons", order=41),
]
