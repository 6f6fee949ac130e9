"""Ship-by clocks, late shipments and their compensation, tracking events, carrier webhook calls, sandbox parcels.

``SubOrder.ship_by`` (orders) is the deadline shoppers and merchants see; ``ShipByClock`` keeps how it was made
(start, promise, the shopper's agreement to wait out a store closure) so it can be recomputed when the platform
declares a holiday window or the store changes a closure the shopper agreed to wait for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from logistics import tracking_steps
from marketplace.money import MoneyField


class ShipByClock(models.Model):
    suborder = models.OneToOneField("orders.SubOrder", on_delete=models.CASCADE, related_name="ship_by_clock")
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ship_within_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    presale_ship_date = models.DateField(null=True, blank=True)
    base_ship_by = models.DateTimeField()  # without any pause
    ship_by = models.DateTimeField()  # paused days skipped (copied to SubOrder.ship_by)
    # The shopper agreed to wait while the store is closed: its closure days stop this clock too (a store's own
    # closure never moves the ship-by of an order paid before it without that agreement).
    closures_agreed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ship {self.suborder_id} by {self.ship_by}"


class LateShipment(models.Model):
    """A sub-order not shipped by its deadline, and what the merchant paid the shopper for it (once: unique)."""

    suborder = models.OneToOneField("orders.SubOrder", on_delete=models.PROTECT, related_name="late_shipment")
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="late_shipments")
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ship_by = models.DateTimeField()
    detected_at = models.DateTimeField(auto_now_add=True)
    compensation = MoneyField(default=0)
    ledger_key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(compensation__gte=0), name="late_compensation_not_negative")]
        indexes = [models.Index(fields=["store", "-detected_at"])]

    def __str__(self) -> str:
        return f"late {self.suborder_id}: {self.compensation}"


class TrackingEvent(models.Model):
    """One status a carrier reported for a parcel (the shopper's tracking timeline, oldest first)."""

    suborder = models.ForeignKey("orders.SubOrder", on_delete=models.CASCADE, related_name="tracking_events")
    carrier = models.CharField(max_length=20)
    tracking_number = models.CharField(max_length=60)
    event_id = models.CharField(max_length=80)
    status = models.CharField(max_length=20)
    location = models.CharField(max_length=120, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "event_id"], name="tracking_event_once"),
            models.CheckConstraint(condition=Q(status__in=tracking_steps.STEPS), name="tracking_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}: {self.status}"

    @property
    def label(self) -> str:
        return str(tracking_steps.LABELS.get(self.status, self.status))


class CarrierCallback(models.Model):
    """Every carrier webhook call, accepted or not. An accepted call's nonce can never be accepted again."""

    carrier = models.CharField(max_length=20, blank=True)
    nonce = models.CharField(max_length=80, blank=True)
    timestamp = models.CharField(max_length=20, blank=True)
    body = models.TextField()
    signature = models.CharField(max_length=256, blank=True)
    accepted = models.BooleanField(default=False)
    outcome = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["nonce"], condition=Q(accepted=True), name="carrier_nonce_used_once")
        ]

    def __str__(self) -> str:
        return f"{self.carrier} callback: {self.outcome}"


class SandboxParcel(models.Model):
    """A parcel the sandbox carrier moves one step per interval, reporting each step through the signed webhook."""

    suborder = models.OneToOneField("orders.SubOrder", on_delete=models.CASCADE, related_name="sandbox_parcel")
    carrier = models.CharField(max_length=20)
    tracking_number = models.CharField(max_length=60)
    next_step = models.PositiveSmallIntegerField(default=0)  # index in tracking_steps.STEPS
    next_at = models.DateTimeField()
    finished = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["finished", "next_at"])]

    def __str__(self) -> str:
        return f"sandbox parcel {self.tracking_number} step {self.next_step}"
