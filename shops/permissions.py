"""The staff permission matrix: which role may do what in a store. The single place other apps ask.

| capability        | owner | operations | customer service |
|-------------------|:-----:|:----------:|:----------------:|
| view_store        |   x   |     x      |        x         |
| manage_store      |   x   |            |                  |  (settings, closures, staff, brand authorization)
| manage_catalog    |   x   |     x      |                  |  (products, SKUs, stock, outlets, CSV import)
| manage_promotions |   x   |     x      |                  |  (store promotions, coupons, campaign enrollment)
| manage_livestream |   x   |     x      |                  |
| handle_orders     |   x   |     x      |        x         |  (ship, pickup codes)
| handle_refunds    |   x   |            |        x         |  (approve / reject refund requests)
| view_finance      |   x   |            |                  |  (statements, payouts)
| reply_reviews     |   x   |            |        x         |  (reply to shoppers' reviews and questions)
| chat_with_shoppers|   x   |            |        x         |  (the shared chat inbox, 旺旺)
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet

from shops.models import StaffRole, Store, StoreStaff


class Capability(StrEnum):
    VIEW_STORE = "view_store"
    MANAGE_STORE = "manage_store"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_PROMOTIONS = "manage_promotions"
    MANAGE_LIVESTREAM = "manage_livestream"
    HANDLE_ORDERS = "handle_orders"
    HANDLE_REFUNDS = "handle_refunds"
    VIEW_FINANCE = "view_finance"
    REPLY_REVIEWS = "reply_reviews"
    CHAT_WITH_SHOPPERS = "chat_with_shoppers"


MATRIX: dict[str, frozenset[Capability]] = {
    StaffRole.OWNER: frozenset(Capability),
    StaffRole.OPERATIONS: frozenset(
        {
            Capability.VIEW_STORE,
            Capability.MANAGE_CATALOG,
            Capability.MANAGE_PROMOTIONS,
            Capability.MANAGE_LIVESTREAM,
            Capability.HANDLE_ORDERS,
        }
    ),
    StaffRole.CUSTOMER_SERVICE: frozenset(
        {
            Capability.VIEW_STORE,
            Capability.HANDLE_ORDERS,
            Capability.HANDLE_REFUNDS,
            Capability.REPLY_REVIEWS,
            Capability.CHAT_WITH_SHOPPERS,
        }
    ),
}


def role_allows(role: str, capability: Capability) -> bool:
    return capability in MATRIX.get(role, frozenset())


def roles_with(capability: Capability) -> list[str]:
    return [role for role, capabilities in MATRIX.items() if capability in capabilities]


def stores_for(user, capability: Capability = Capability.VIEW_STORE) -> QuerySet[Store]:
    """The stores in which `user` has `capability`. Every merchant-facing query starts here."""
    if not user or not user.is_authenticated:
        return Store.objects.none()
    return Store.objects.filter(staff__user=user, staff__role__in=roles_with(capability)).distinct()


def can(user, store: Store | int, capability: Capability) -> bool:
    store_id = store if isinstance(store, int) else store.pk
    if not user or not user.is_authenticated:
        return False
    return StoreStaff.objects.filter(store_id=store_id, user=user, role__in=roles_with(capability)).exists()


def is_merchant_staff(user) -> bool:
    return bool(user and user.is_authenticated and StoreStaff.objects.filter(user=user).exists())
