"""Template helpers of logistics: the carrier list for shipping forms, carrier names, the tracking timeline."""

import uuid

from django import template
from django.conf import settings

from logistics import carriers

register = template.Library()


@register.inclusion_tag("logistics/_carrier_datalist.html")
def carrier_datalist(list_id="carriers"):
    return {"list_id": list_id, "carriers": carriers.choices()}


@register.filter
def carrier_name(code: str) -> str:
    return carriers.name_of(code)


@register.inclusion_tag("logistics/_tracking.html", takes_context=True)
def tracking_timeline(context, suborder, sandbox=False):
    """The carrier's reports, oldest first; ``sandbox`` adds the sandbox carrier's button (the shopper's page)."""
    return {
        "suborder": suborder,
        "events": list(suborder.tracking_events.all()),
        "sandbox": sandbox and getattr(settings, "LOGISTICS_SANDBOX_CARRIER", True),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def new_key() -> str:
    return uuid.uuid4().hex


@register.simple_tag
def ship_by_if_waiting(suborder):
    """The later ship-by the shopper gets by agreeing to wait while the store is closed (None: nothing to offer)."""
    from logistics.services.ship_by import ship_by_if_waiting as later

    return later(suborder)
