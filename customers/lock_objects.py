"""Row locks on customers' tables.

Sending a targeted campaign locks the campaign row first, then (inside promotions.services.granting) its coupon
template: the campaign lock makes a send happen once, the template lock holds the budget and per-shopper limit
against every other grant or claim of that template. Customer rows are never locked: the recompute writes them in
(merchant, shopper) order under a per-merchant advisory lock (customers.services.segments).
"""

from __future__ import annotations

from django.db import transaction

from customers.models import TargetedCampaign


def locked_campaign(pk: int) -> TargetedCampaign:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock a targeted campaign inside a transaction")
    return TargetedCampaign.objects.select_for_update(of=("self",)).select_related("merchant").get(pk=pk)
