"""Template helpers of logistics: the carrier list for shipping forms, carrier names, the tracking timeline."""

import uuid

from django import template

from logistics import carriers

register = template.Library()


@register.inclusion_tag("logistics/_carrier_datalist.html")
def carrier_datalist(list_id="carriers"):
    return {"list_id": list_id, "carriers": carriers.choices()}


@register.filter
def carrier_name(code: str) -> str:
    return carriers.name_of(code)


@register.inclusion_tag("logistics/_tracking.html")
def tracking_timeline(suborder):
    return {"suborder": suborder, "events": list(suborder.tracking_events.all())}


@register.simple_tag
def new_key() -> str:
    return uuid.uuid4().hex
