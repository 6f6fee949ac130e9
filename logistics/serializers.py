"""API shapes of logistics."""

from __future__ import annotations

from rest_framework import serializers

from logistics.models import LateShipment, TrackingEvent


class CarrierSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TrackingEventSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = TrackingEvent
        fields = ("status", "label", "location", "occurred_at", "carrier", "tracking_number")


class WebhookPayloadSerializer(serializers.Serializer):
    carrier = serializers.CharField(help_text="A carrier code or name from /api/v1/logistics/carriers/")
    tracking_number = serializers.CharField()
    event_id = serializers.CharField(help_text="Unique per carrier: a repeated id is acknowledged and ignored")
    status = serializers.ChoiceField(choices=["picked_up", "in_transit", "at_station", "out_for_delivery", "delivered"])
    location = serializers.CharField(required=False)
    occurred_at = serializers.DateTimeField()


class WebhookAckSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LateShipmentSerializer(serializers.ModelSerializer):
    suborder_number = serializers.CharField(source="suborder.number", read_only=True)

    class Meta:
        model = LateShipment
        fields = ("id", "suborder", "suborder_number", "store", "ship_by", "detected_at", "compensation")


class LateShipmentCountSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    name = serializers.CharField()
    late_shipments = serializers.IntegerField()
    compensation = serializers.DecimalField(max_digits=12, decimal_places=2)


class WaitForStoreSerializer(serializers.Serializer):
    ship_by = serializers.DateTimeField(allow_null=True)
    ship_by_if_waiting = serializers.DateTimeField(
        allow_null=True,
        help_text="The later ship-by if you agree to wait while the store is closed; null: nothing to wait for",
    )
    agreed = serializers.BooleanField(help_text="You agreed: the store's closure days stop this order's ship-by")
