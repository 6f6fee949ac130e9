"""DRF serializers of the livestream API. Input serializers only shape data; livestream.services decides."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from livestream import selectors
from livestream.models import CouponDrop, Creator, CreatorPolicy, FeaturedProduct, Stream

MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """An object id: bounded so an absurd number is a 400, not a database overflow."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class SkuOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    price = serializers.CharField()


class FeaturedProductSerializer(serializers.ModelSerializer):
    product_id = serializers.IntegerField(source="product.pk", read_only=True)
    title = serializers.CharField(source="product.title", read_only=True)
    store_id = serializers.IntegerField(read_only=True)
    price = serializers.SerializerMethodField()
    skus = serializers.SerializerMethodField()

    class Meta:
        model = FeaturedProduct
        fields = ["id", "product_id", "title", "store_id", "position", "price", "live_price", "commission_rate", "skus"]

    def get_price(self, obj) -> str:
        return selectors.featured_payload(obj)["price"]

    @staticmethod
    def _skus(obj) -> list[dict]:
        return selectors.featured_payload(obj)["skus"]

    def get_skus(self, obj) -> list[dict]:
        return SkuOptionSerializer(self._skus(obj), many=True).data


class CouponDropSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="template.name", read_only=True)
    template_id = serializers.IntegerField(read_only=True)
    off = serializers.DecimalField(source="template.off", max_digits=12, decimal_places=2, read_only=True)
    threshold = serializers.DecimalField(source="template.threshold", max_digits=12, decimal_places=2, read_only=True)
    total = serializers.IntegerField(source="template.total_quantity", read_only=True)
    remaining = serializers.IntegerField(source="template.remaining", read_only=True)

    class Meta:
        model = CouponDrop
        fields = ["id", "template_id", "name", "off", "threshold", "total", "remaining", "dropped_at"]


class StreamSerializer(serializers.ModelSerializer):
    host_name = serializers.CharField(read_only=True)
    cover = serializers.ImageField(read_only=True)
    watch_url = serializers.SerializerMethodField()
    source = serializers.CharField(read_only=True)

    class Meta:
        model = Stream
        fields = [
            "id", "title", "description", "cover", "host_kind", "store", "creator", "host_name", "scheduled_at",
            "state", "playback_url", "replay_url", "started_at", "ended_at", "pinned", "like_count", "peak_viewers",
            "watch_url", "source",
        ]  # fmt: skip
        read_only_fields = fields

    def get_watch_url(self, obj) -> str:
        return f"/live/{obj.pk}/"


class StreamDetailSerializer(StreamSerializer):
    featured = FeaturedProductSerializer(many=True, read_only=True)
    coupon_drops = serializers.SerializerMethodField()

    class Meta(StreamSerializer.Meta):
        fields = [*StreamSerializer.Meta.fields, "featured", "coupon_drops"]
        read_only_fields = fields

    def get_coupon_drops(self, obj) -> list[dict]:
        return CouponDropSerializer(selectors.open_drops(obj), many=True).data


class StreamWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    scheduled_at = serializers.DateTimeField()
    playback_url = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    store = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Host store id (a store stream); omit to host as your creator profile.",
    )


class StreamUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    scheduled_at = serializers.DateTimeField(required=False)
    playback_url = serializers.CharField(required=False, allow_blank=True, max_length=500)


class EndStreamSerializer(serializers.Serializer):
    replay_url = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PinSerializer(serializers.Serializer):
    featured = id_field(allow_null=True, help_text="Featured product id; null clears the pin.")


class MuteSerializer(serializers.Serializer):
    user = id_field()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class FeatureProductSerializer(serializers.Serializer):
    product = id_field()
    live_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=Decimal("0.01")
    )


class LivePriceSerializer(serializers.Serializer):
    live_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, min_value=Decimal("0.01"))


class ReorderSerializer(serializers.Serializer):
    order = serializers.ListField(child=id_field(), max_length=100, help_text="Featured product ids, first to last.")


class CouponDropWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    off = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    threshold = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), help_text="Minimum spend (above 0)."
    )
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    per_shopper_limit = serializers.IntegerField(required=False, default=1, min_value=1, max_value=10)
    valid_days = serializers.IntegerField(required=False, default=7, min_value=1, max_value=90)


class ClaimSerializer(serializers.Serializer):
    drop = id_field()


class ClaimResultSerializer(serializers.Serializer):
    coupon = serializers.IntegerField()
    drop = serializers.IntegerField()


class MetricsSerializer(serializers.Serializer):
    unique_viewers = serializers.IntegerField()
    peak_viewers = serializers.IntegerField()
    current_viewers = serializers.IntegerField()
    average_watch_seconds = serializers.IntegerField()
    likes = serializers.IntegerField()
    orders = serializers.IntegerField()
    buyers = serializers.IntegerField()
    units = serializers.IntegerField()
    gmv = serializers.CharField()
    conversion_rate = serializers.CharField(help_text="Buyers / unique viewers, 0..1.")
    gmv_per_viewer = serializers.CharField()
    creator_commission = serializers.CharField()


class CreatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Creator
        fields = ["id", "display_name", "bio", "is_active", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]


class CreatorPolicySerializer(serializers.ModelSerializer):
    store = serializers.IntegerField(source="store_id", read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null until first saved")

    class Meta:
        model = CreatorPolicy
        fields = ["store", "allows_creators", "commission_rate", "updated_at"]
        read_only_fields = ["store", "updated_at"]
        # A PUT states the whole policy: the model's defaults must not stand in for a missing field.
        extra_kwargs = {"allows_creators": {"required": True}, "commission_rate": {"required": True}}
