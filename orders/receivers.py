"""What orders does when other apps (or Django) announce something. Connected in OrdersConfig.ready()."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Address
from orders import cart, flash
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


@receiver(post_save, sender=Address, dispatch_uid="orders.flash_forget_addresses.save")
@receiver(post_delete, sender=Address, dispatch_uid="orders.flash_forget_addresses.delete")
def forget_flash_addresses(sender, instance, **kwargs) -> None:
    """The flash-sale gate's copy of the shopper's address ids is dropped (and again after the commit, so a buy
    that re-read the addresses before the commit does not keep the old list)."""
    shopper_id = instance.user_id
    flash.forget_addresses(shopper_id)
    transaction.on_commit(lambda: flash.forget_addresses(shopper_id))
