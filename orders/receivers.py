"""orders' answers to signals of the apps to its left; imported from OrdersConfig.ready()."""

from django.dispatch import receiver

from orders import cart
from promotions.signals import first_order_stores_requested


@receiver(first_order_stores_requested, dispatch_uid="orders.first_order_stores")
def answer_first_order_stores(sender, shopper, store_ids, **kwargs) -> set[int]:
    return cart.first_order_stores(shopper, store_ids)
