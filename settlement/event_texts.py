"""The timeline words of settlement, registered with orders.events from SettlementConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import events


def register() -> None:
    events.register(
        kinds={"settled": _("Settled")},
        reasons={"settled_to_store": _("Settled: ¥%(amount)s to the store")},
    )
