"""The timeline words of payments, registered with orders.events from PaymentsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext

from orders import events
from orders.models import Order


def _arrived_late(params) -> str:
    try:
        status = Order.Status(params.get("status")).label
    except ValueError:
        status = params.get("status", "")
    return gettext("Order %(number)s was %(status)s when the payment arrived: it was sent back") % {
        "number": params.get("number", ""),
        "status": status,
    }


def register() -> None:
    events.register(reasons={"payment_arrived_late": _arrived_late})
