"""Livestream answers settlement: a creator's commission is taken from the store's share when a sub-order settles."""

from __future__ import annotations

from django.dispatch import receiver

from livestream.settlement import creator_commission
from settlement.signals import settlement_adjustments


@receiver(settlement_adjustments, dispatch_uid="livestream.creator_commission")
def creator_commission_at_settlement(sender, suborder, **kwargs):
    return creator_commission(suborder)
