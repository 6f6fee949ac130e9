"""Serializers of the customers API (shapes only; rules live in customers.services and customers.filters)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.models import (
    Customer,
    Footprint,
    ProductFavourite,
    Segment,
    SegmentSettings,
    SegmentSnapshot,
    StoreFollow,
    TargetedCampaign,
)
from shops.serializers import StoreBriefSerializer


class ShopperBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class CustomerSerializer(serializers.ModelSerializer):
    """One shopper as a customer of the merchant, across all its stores of both brands."""

    shopper = ShopperBriefSerializer()
    average_order_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    refund_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    stores = serializers.SerializerMethodField()
    segments = serializers.ListField(child=serializers.ChoiceField(choices=Segment.choices))

    class Meta:
        model = Customer
        fields = [
            "id", "shopper", "orders", "spend", "last_order_at", "first_order_at", "units", "gross", "refunded",
            "average_order_value", "refund_rate", "refunded_orders", "stores", "is_follower", "segments",
            "computed_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(StoreBriefSerializer(many=True))
    def get_stores(self, customer) -> list[dict]:
        stores = self.context.get("stores", {})
        return [StoreBriefSerializer(stores[pk]).data for pk in customer.store_ids if pk in stores]


class ContactSerializer(serializers.Serializer):
    phone = serializers.CharField()
    recipient = serializers.CharField()
    address = serializers.CharField()
    masked = serializers.BooleanField()


class CustomerOrderLineSerializer(serializers.Serializer):
    title = serializers.CharField()
    sku_label = serializers.CharField()
    quantity = serializers.IntegerField()
    payable = serializers.DecimalField(max_digits=12, decimal_places=2)


class CustomerOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    store = StoreBriefSerializer()
    state = serializers.CharField()
    payable = serializers.DecimalField(max_digits=12, decimal_places=2)
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    lines = CustomerOrderLineSerializer(many=True, source="lines.all")


class CustomerDetailSerializer(CustomerSerializer):
    contact = serializers.SerializerMethodField()
    suborders = serializers.SerializerMethodField()

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "contact", "suborders"]
        read_only_fields = fields

    @extend_schema_field(ContactSerializer)
    def get_contact(self, customer) -> dict:
        return ContactSerializer(self.context["contact"]).data

    @extend_schema_field(CustomerOrderSerializer(many=True))
    def get_suborders(self, customer) -> list[dict]:
        return CustomerOrderSerializer(self.context["suborders"], many=True).data


class SegmentSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SegmentSettings
        fields = [
            "new_days", "regular_days", "regular_min_orders", "high_value_percent", "at_risk_days", "lost_days",
            "high_value_min_spend", "computed_at",
        ]  # fmt: skip
        read_only_fields = ["high_value_min_spend", "computed_at"]

    def validate(self, attrs):
        at_risk = attrs.get("at_risk_days", getattr(self.instance, "at_risk_days", 90))
        lost = attrs.get("lost_days", getattr(self.instance, "lost_days", 180))
        if lost <= at_risk:
            raise serializers.ValidationError({"lost_days": "Must be more days than at_risk_days."})
        return attrs


class SegmentDefinitionSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(choices=Segment.choices)
    label = serializers.CharField()
    definition = serializers.CharField()
    count = serializers.IntegerField()


class SegmentsOverviewSerializer(serializers.Serializer):
    merchant = serializers.IntegerField()
    customers = serializers.IntegerField()
    settings = SegmentSettingsSerializer()
    segments = SegmentDefinitionSerializer(many=True)


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = SegmentSnapshot
        fields = ["day", "customers", "new", "regular", "high_value", "at_risk", "lost", "follower"]
        read_only_fields = fields


class RecomputeSerializer(serializers.Serializer):
    customers = serializers.IntegerField()


class FollowSerializer(serializers.ModelSerializer):
    store = StoreBriefSerializer()
    followers = serializers.IntegerField(source="follower_count", required=False)
    followed_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = StoreFollow
        fields = ["store", "followed_at", "followers"]
        read_only_fields = fields


class FollowStateSerializer(serializers.Serializer):
    store = serializers.CharField()
    following = serializers.BooleanField()
    followers = serializers.IntegerField()


class KeptProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    min_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.CharField()
    store = StoreBriefSerializer()


class FavouriteSerializer(serializers.ModelSerializer):
    product = KeptProductSerializer()
    favourited_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ProductFavourite
        fields = ["product", "favourited_at"]
        read_only_fields = fields


class FavouriteStateSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    favourite = serializers.BooleanField()


class FootprintSerializer(serializers.ModelSerializer):
    product = KeptProductSerializer()

    class Meta:
        model = Footprint
        fields = ["id", "product", "viewed_at"]
        read_only_fields = fields


class DeletedSerializer(serializers.Serializer):
    deleted = serializers.IntegerField()


class TargetedCampaignInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    store = serializers.IntegerField()
    segment = serializers.ChoiceField(choices=Segment.choices, required=False, allow_blank=True, default="")
    filters = serializers.DictField(required=False, default=dict)
    control_percent = serializers.IntegerField(min_value=0, max_value=50, default=10)
    off = serializers.DecimalField(max_digits=12, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=12, decimal_places=2, default="0.00")
    valid_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    budget = serializers.IntegerField(min_value=1, max_value=1_000_000)
    per_shopper_limit = serializers.IntegerField(min_value=1, max_value=10, default=1)
    send = serializers.BooleanField(default=False)


class CampaignReportSerializer(serializers.Serializer):
    audience = serializers.IntegerField()
    treatment = serializers.IntegerField()
    control = serializers.IntegerField()
    issued = serializers.IntegerField()
    used = serializers.IntegerField()
    treatment_buyers = serializers.IntegerField()
    treatment_orders = serializers.IntegerField()
    treatment_spend = serializers.DecimalField(max_digits=14, decimal_places=2)
    control_buyers = serializers.IntegerField()
    control_orders = serializers.IntegerField()
    control_spend = serializers.DecimalField(max_digits=14, decimal_places=2)
    treatment_conversion = serializers.DecimalField(max_digits=7, decimal_places=4)
    control_conversion = serializers.DecimalField(max_digits=7, decimal_places=4)
    uplift = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    spend_per_shopper_uplift = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class TargetedCampaignSerializer(serializers.ModelSerializer):
    store = StoreBriefSerializer()
    coupon = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = TargetedCampaign
        fields = [
            "id", "name", "store", "segment", "filters", "control_percent", "status", "audience", "control",
            "issued", "created_at", "sent_at", "coupon", "report",
        ]  # fmt: skip
        read_only_fields = fields

    def get_coupon(self, campaign) -> dict:
        template = campaign.template
        return {
            "template": template.pk,
            "off": str(template.off),
            "threshold": str(template.threshold),
            "budget": template.total_quantity,
            "issued": template.issued_count,
            "per_shopper_limit": template.per_shopper_limit,
            "valid_days": template.valid_days,
        }

    @extend_schema_field(CampaignReportSerializer(allow_null=True))
    def get_report(self, campaign) -> dict | None:
        report = self.context.get("reports", {}).get(campaign.pk)
        return CampaignReportSerializer(report).data if report is not None else None
