"""{% service_badges store %}: a store's service card (服务卡) as badges, anywhere (cart, orders)."""

from django import template

from shops.selectors.promises import service_card

register = template.Library()


@register.inclusion_tag("storefront/_service_card.html")
def service_badges(store, panel=False):
    return {"service": service_card(store), "panel": panel}
