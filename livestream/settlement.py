"""Creator commission at settlement: settlement asks through ``settlement.signals.settlement_adjustments`` (answered
in livestream.receivers with ``creator_commission(suborder)``) and moves what it returns from the store's payable to
each creator's payable account.

A line bought in a creator's room (source "live:<stream id>") earns the creator the commission rate the product
carried when it was featured (the merchant's CreatorPolicy rate then), on what the shopper paid for the units that
were not refunded.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from marketplace.money import CENT, ZERO
from orders.selectors import refunded_units

SOURCE_PREFIX = "live:"


def stream_id_of(source: str) -> int | None:
    if not source.startswith(SOURCE_PREFIX) or not source[len(SOURCE_PREFIX) :].isdigit():
        return None
    return int(source[len(SOURCE_PREFIX) :])


def commission_by_creator(suborder) -> dict[int, Decimal]:
    """creator user id -> commission earned on ``suborder``."""
    from livestream.models import FeaturedProduct, Stream

    lines = [line for line in suborder.lines.select_related("sku") if stream_id_of(line.source)]
    if not lines:
        return {}
    stream_ids = {stream_id_of(line.source) for line in lines}
    creators = dict(
        Stream.objects.filter(pk__in=stream_ids, host_kind=Stream.HostKind.CREATOR).values_list("pk", "creator__user")
    )
    rates = {
        (stream_id, product_id): rate
        for stream_id, product_id, rate in FeaturedProduct.objects.filter(
            stream_id__in=creators, commission_rate__gt=0
        ).values_list("stream_id", "product_id", "commission_rate")
    }
    refunded = refunded_units([suborder.pk])
    earned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        stream_id = stream_id_of(line.source)
        rate = rates.get((stream_id, line.sku.product_id))
        kept = line.quantity - refunded.get(line.pk, 0)
        if stream_id not in creators or not rate or kept <= 0:
            continue
        paid = (line.payable * Decimal(kept) / Decimal(line.quantity)).quantize(CENT, rounding=ROUND_HALF_UP)
        earned[creators[stream_id]] += (paid * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return {user_id: amount for user_id, amount in earned.items() if amount > 0}


def creator_commission(suborder) -> list[tuple[object, Decimal]]:
    """The settlement adjuster: [(creator payable account, amount)]."""
    from payments import ledger

    return [(ledger.creator_payable(user_id), amount) for user_id, amount in commission_by_creator(suborder).items()]
