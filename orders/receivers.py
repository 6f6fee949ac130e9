"""What orders does when other apps (or Django) announce something. Connected in OrdersConfig.ready()."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from orders import cart
from promotions.signals import first_order_stores_requested


@receiver(user_logged_in, dispatch_uid="orders.merge_session_cart_on_login")
def merge_session_cart(sender, request, user, **kwargs) -> None:
    """The anonymous session's cart joins the shopper's cart at login (accounts.services.log_in remembers the
    session key from before login, which Django changes on login)."""
    if request is not None:
        cart.merge_session_cart_on_login(request, user)


@receiver(first_order_stores_requested, dispatch_uid="orders.first_order_stores")
def answer_first_order_stores(sender, shopper, store_ids, **kwargs) -> set[int]:
    return cart.first_order_stores(shopper, store_ids)
