"""Cache invalidation for writes that bypass shops.services (Django admin, fixtures, factories), and what shops
announces to the apps to its right.

``product_viewed(sender=Product, request, product_id)``: a product page was served to a visitor who has a session
(and so may be signed in). Sent on the hot path of cached pages: receivers must stay cheap (no database write).

``pauses_changed(sender=StoreClosure or PlatformHoliday, store_id)`` is sent (after commit) when a store's holiday
closures or the platform's holiday windows change: apps whose deadlines stand still on those days (refunds,
logistics) recompute them. ``store_id`` is None for a platform-wide window.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from shops import caching
from shops.models import (
    Category,
    Outlet,
    PlatformHoliday,
    Product,
    ServiceCard,
    ServiceCatalogue,
    Store,
    StoreClosure,
)

pauses_changed = Signal()

product_viewed = Signal()


def _forget_tree(**kwargs):
    caching.after_write(caching.forget_category_tree)


def _forget_stores(**kwargs):
    caching.after_write(caching.forget_hidden_stores)


def _bump(**kwargs):
    caching.after_write(caching.bump_catalog)


def _bump_unless_first_read(created=False, **kwargs):
    # ServiceCatalogue.current() creates the default row on first read (a page view): it shows what no row showed,
    # so every cached page stays right.
    if not created:
        _bump()


def _announce_pause(sender, instance, **kwargs):
    store_id = getattr(instance, "store_id", None)
    transaction.on_commit(lambda: pauses_changed.send(sender=sender, store_id=store_id))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_forget_tree, sender=Category, dispatch_uid=f"shops-tree-{signal}")
        signal.connect(_forget_stores, sender=Store, dispatch_uid=f"shops-stores-{signal}")
        signal.connect(_bump, sender=StoreClosure, dispatch_uid=f"shops-closure-{signal}")
        signal.connect(_bump, sender=Product, dispatch_uid=f"shops-product-{signal}")
        # Product pages keep a store's active outlets per catalog version (shops.selectors.product.store_outlets).
        signal.connect(_bump, sender=Outlet, dispatch_uid=f"shops-outlet-{signal}")
        for model in (ServiceCard, PlatformHoliday):
            signal.connect(_bump, sender=model, dispatch_uid=f"shops-promise-{model.__name__}-{signal}")
        signal.connect(_bump_unless_first_read, sender=ServiceCatalogue, dispatch_uid=f"shops-catalogue-{signal}")
        for model in (StoreClosure, PlatformHoliday):
            signal.connect(_announce_pause, sender=model, dispatch_uid=f"shops-pause-{model.__name__}-{signal}")
