"""Livestream answers settlement (a creator's commission is taken from the store's share when a sub-order settles)
and pricing (which of the asked streams are live, and the products each features, for live prices)."""

from __future__ import annotations

from django.dispatch import receiver

from livestream.models import FeaturedProduct, Stream
from livestream.settlement import creator_commission
from promotions.signals import live_featured_products_requested
from settlement.signals import settlement_adjustments


@receiver(settlement_adjustments, dispatch_uid="livestream.creator_commission")
def creator_commission_at_settlement(sender, suborder, **kwargs):
    return creator_commission(suborder)


@receiver(live_featured_products_requested, dispatch_uid="livestream.live_featured_products")
def live_featured_products(sender, stream_ids, **kwargs):
    featured: dict[int, set[int]] = {}
    rows = FeaturedProduct.objects.filter(stream_id__in=stream_ids, stream__state=Stream.State.LIVE)
    for stream_id, product_id in rows.values_list("stream_id", "product_id"):
        featured.setdefault(stream_id, set()).add(product_id)
    return featured
