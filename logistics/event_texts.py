"""The timeline words of logistics, registered with orders.events from LogisticsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import events


def register() -> None:
    events.register(
        kinds={"late_shipment_compensated": _("Late-shipment compensation")},
        reasons={
            "late_shipment_compensated": _("Not shipped by %(deadline)s: the store compensates you %(amount)s"),
        },
    )
