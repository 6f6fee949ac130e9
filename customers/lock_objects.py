"""Row locks on customers' tables.

Sending a targeted campaign locks the campaign row first, then (inside promotions.services.granting) its coupon
template: the campaign lock makes a send happen once, the template lock holds the budget and per-shopper limit
against every other grant or claim of that template. Customer rows are never locked: the recompute writes them in
(merchant, shopper) order under a per-merchant advisory lock (customers.services.segments). A merchant's segment
settings row is locked alone while it is edited (created on the first edit).
"""

from __future__ import annotations

from django.db import transaction

from customers.models import SegmentSettings, TargetedCampaign


def locked_campaign(pk: int) -> TargetedCampaign:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock a targeted campaign inside a transaction")
    return TargetedCampaign.objects.select_for_update(of=("self",)).select_related("merchant").get(pk=pk)


def locked_segment_settings(merchant_id: int) -> SegmentSettings:
    """The merchant's segment settings, locked (created with the defaults when it has none yet)."""
    instance, _created = SegmentSettings.objects.select_for_update().get_or_create(merchant_id=merchant_id)
    return instance
