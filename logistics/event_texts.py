"""The timeline words of logistics, registered with orders.events from LogisticsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import events


def register() -> None:
    events.register(
        kinds={
            "late_shipment_compensated": _("Late-shipment compensation"),
            "ship_by_extended": _("Ship-by moved"),
        },
        reasons={
            "late_shipment_compensated": _("Not shipped by %(deadline)s: the store compensates you %(amount)s"),
            "shopper_waits_for_closure": _(
                "The shopper agreed to wait while the store is closed: it now ships by %(deadline)s"
            ),
        },
    )
