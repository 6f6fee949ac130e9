"""Following stores (关注店铺) and favourite products (收藏). Idempotent: following twice is one follow."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from customers import signals
from customers.models import ProductFavourite, StoreFollow
from customers.services.segments import refresh_after_commit
from marketplace.api import DomainError
from shops.models import Product, Store


def _shopper(user):
    if user is None or not user.is_authenticated:
        raise DomainError(_("Log in first."), code="login_required", status_code=403)
    return user


@transaction.atomic
def follow(user, store: Store) -> tuple[StoreFollow, bool]:
    shopper = _shopper(user)
    if not store.is_open:
        raise DomainError(_("This store is not open."), code="store_not_open", status_code=404)
    row, created = StoreFollow.objects.get_or_create(shopper=shopper, store=store)
    if created:
        refresh_after_commit([store.merchant_id], [shopper.pk])
        transaction.on_commit(lambda: signals.store_followed.send(sender=StoreFollow, store=store, shopper=shopper))
    return row, created


@transaction.atomic
def unfollow(user, store: Store) -> bool:
    shopper = _shopper(user)
    deleted = StoreFollow.objects.filter(shopper=shopper, store=store).delete()[0] > 0
    if deleted:
        refresh_after_commit([store.merchant_id], [shopper.pk])
    return deleted


def favourite(user, product: Product) -> tuple[ProductFavourite, bool]:
    shopper = _shopper(user)
    if not product.is_active:
        raise DomainError(_("This product is not on sale."), code="product_not_on_sale", status_code=404)
    return ProductFavourite.objects.get_or_create(shopper=shopper, product=product)


def unfavourite(user, product: Product) -> bool:
    return ProductFavourite.objects.filter(shopper=_shopper(user), product=product).delete()[0] > 0
