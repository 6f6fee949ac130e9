"""The merchant's view of a store's ratings: DSR, trend, vertical average, reviews waiting for a reply."""

from __future__ import annotations

from reviews import dsr, selectors
from reviews.models import Review
from shops.models import DSR_DIMENSIONS, StoreRating


def store_dsr_overview(store) -> dict:
    rating = StoreRating.objects.filter(store=store).select_related("vertical").first()
    vertical = rating.vertical if rating else None
    average = {}
    if vertical is not None:
        from django.utils import timezone

        computed = dsr.vertical_averages(timezone.now()).get(vertical.pk, {})
        average = {code: float(computed[code]) if computed.get(code) is not None else None for code in DSR_DIMENSIONS}
    return {
        "store": store.pk,
        "description": rating.description if rating else None,
        "service": rating.service if rating else None,
        "logistics": rating.logistics if rating else None,
        "count": rating.count if rating else 0,
        "vertical": vertical.name if vertical else None,
        "vertical_average": average,
        "versus_vertical": rating.versus_vertical if rating else {},
        "unreplied": Review.objects.filter(store=store, reply_at__isnull=True).count(),
        "trend": selectors.rating_trend(store.pk),
        "rating": rating,
    }
