"""Reads of insight that views and the API share."""

from __future__ import annotations

from django.http import Http404

from insight.models import EventOptOut
from shops.permissions import Capability, stores_for


def analytics_store_ids(user, raw_store) -> list[int]:
    """The stores the figures cover: one of the user's stores (another merchant's id is a 404), or all of them."""
    stores = stores_for(user, Capability.VIEW_STORE)
    if raw_store in (None, "", "all"):
        return list(stores.order_by("pk").values_list("pk", flat=True))
    try:
        store_id = int(raw_store)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < store_id < 2**63 or not stores.filter(pk=store_id).exists():
        raise Http404
    return [store_id]


def opted_out(user) -> bool:
    return bool(user and user.is_authenticated and EventOptOut.objects.filter(user=user).exists())
