"""Demo customers: alice and bob follow stores and keep favourites and footprints; every merchant's customers and
segments are computed (after the order, payment and refund demos); one draft targeted coupon per merchant with
customers. Idempotent: rows are looked up by natural keys."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from customers.models import ProductFavourite, StoreFollow, TargetedCampaign
from customers.services import footprints, targeting
from customers.services.segments import recompute
from shops.models import Merchant, Product, Store


def seed(stdout):
    shoppers = {user.username: user for user in User.objects.filter(username__in=["alice", "bob"])}
    stores = list(Store.objects.filter(status=Store.Status.OPEN).order_by("pk")[:3])
    products = list(Product.objects.filter(status=Product.Status.ACTIVE).order_by("pk")[:4])
    for username, user in shoppers.items():
        for store in stores[: 2 if username == "alice" else 1]:
            StoreFollow.objects.get_or_create(shopper=user, store=store)
        for product in products[:2]:
            ProductFavourite.objects.get_or_create(shopper=user, product=product)
        for product in products:
            footprints.record(user, product.pk)
    count = recompute()
    drafts = 0
    for merchant in Merchant.objects.filter(customers__orders__gt=0).distinct().order_by("pk"):
        store = merchant.stores.filter(status=Store.Status.OPEN).order_by("pk").first()
        if store is None or TargetedCampaign.objects.filter(merchant=merchant, name="老客回购券").exists():
            continue
        targeting.create(
            by=merchant.owner, store=store, audience={"segment": "regular"}, name="老客回购券",
            off=Decimal("10.00"), threshold=Decimal("99.00"), valid_days=14, budget=500, control_percent=10,
        )  # fmt: skip
        drafts += 1
    stdout.write(f"customers: {count} customer rows, {drafts} draft targeted coupons")
    return []
