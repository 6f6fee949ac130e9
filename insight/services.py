"""Writes of insight."""

from __future__ import annotations

from django.db import transaction

from insight.models import Event, EventOptOut, ShopperPicks


@transaction.atomic
def set_opt_out(user, opted_out: bool) -> None:
    """Opting out also forgets what was recorded about the shopper."""
    if opted_out:
        EventOptOut.objects.get_or_create(user=user)
        Event.objects.filter(user=user).delete()
        Event.objects.filter(visitor=f"u{user.pk}").delete()
        ShopperPicks.objects.filter(user=user).delete()
    else:
        EventOptOut.objects.filter(user=user).delete()
