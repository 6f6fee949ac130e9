"""Tracking statuses a carrier reports, in the order a parcel goes through them (pure)."""

from django.utils.translation import gettext_lazy as _

PICKED_UP, IN_TRANSIT, AT_STATION, OUT_FOR_DELIVERY, DELIVERED = (
    "picked_up",
    "in_transit",
    "at_station",
    "out_for_delivery",
    "delivered",
)
STEPS = (PICKED_UP, IN_TRANSIT, AT_STATION, OUT_FOR_DELIVERY, DELIVERED)
LABELS = {
    PICKED_UP: _("Picked up by the carrier"),
    IN_TRANSIT: _("In transit"),
    AT_STATION: _("At the delivery station"),
    OUT_FOR_DELIVERY: _("Out for delivery"),
    DELIVERED: _("Delivered"),
}
# The API's enum of tracking statuses (settings.SPECTACULAR_SETTINGS ENUM_NAME_OVERRIDES: TrackingStatusEnum).
STATUS_CHOICES = [(step, step) for step in STEPS]
