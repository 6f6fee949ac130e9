"""API shapes. Types are checked here; business rules in promotions.services (their ValidationError -> 400)."""

from __future__ import annotations

from rest_framework import serializers

from promotions.models import CLAIM_CHANNELS, Campaign, CouponTemplate, IssuedCoupon, StorePromotion
from shops.models import SKU, Brand, Category, Store

MONEY = {"max_digits": 12, "decimal_places": 2}


class PromotionStoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "name", "brand"]


class CouponTemplateSerializer(serializers.ModelSerializer):
    store = PromotionStoreSerializer(read_only=True, allow_null=True, help_text="null for platform coupons")
    rule = serializers.CharField(source="rule_label", read_only=True)
    remaining = serializers.IntegerField(read_only=True)
    categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    stores = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CouponTemplate
        fields = [
            "id", "kind", "name", "store", "off", "threshold", "rule", "brands", "categories", "stores",
            "claim_from", "claim_until", "valid_from", "valid_to", "valid_days", "total_quantity", "issued_count",
            "remaining", "per_shopper_limit", "channel", "live_stream_id", "is_active",
        ]  # fmt: skip
        read_only_fields = fields


class CouponCenterSerializer(CouponTemplateSerializer):
    held_by_me = serializers.IntegerField(read_only=True)
    can_claim_more = serializers.BooleanField(read_only=True)

    class Meta(CouponTemplateSerializer.Meta):
        fields = [*CouponTemplateSerializer.Meta.fields, "held_by_me", "can_claim_more"]
        read_only_fields = fields


class CouponTemplateWriteSerializer(serializers.Serializer):
    """Platform coupons and red packets (operators) or store coupons (merchants; ``kind`` is ignored there)."""

    kind = serializers.ChoiceField(choices=CouponTemplate.Kind.choices, required=False)
    name = serializers.CharField(max_length=120)
    off = serializers.DecimalField(**MONEY)
    threshold = serializers.DecimalField(**MONEY, required=False, default="0.00")
    brands = serializers.ListField(child=serializers.ChoiceField(choices=Brand.choices), required=False)
    categories = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), many=True, required=False)
    stores = serializers.PrimaryKeyRelatedField(queryset=Store.objects.all(), many=True, required=False)
    claim_from = serializers.DateTimeField(required=False, allow_null=True)
    claim_until = serializers.DateTimeField(required=False, allow_null=True)
    valid_from = serializers.DateTimeField(required=False, allow_null=True)
    valid_to = serializers.DateTimeField(required=False, allow_null=True)
    valid_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=3650)
    total_quantity = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    per_shopper_limit = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False, default=1)
    channel = serializers.ChoiceField(choices=CLAIM_CHANNELS, required=False, default="center")
    live_stream_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    is_active = serializers.BooleanField(required=False, default=True)


class IssuedCouponSerializer(serializers.ModelSerializer):
    template = CouponTemplateSerializer(read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = IssuedCoupon
        fields = ["id", "template", "status", "valid_from", "valid_to", "order_id", "claimed_at", "used_at"]
        read_only_fields = fields

    def get_status(self, coupon: IssuedCoupon) -> str:
        return coupon.display_status()


class CouponClaimSerializer(serializers.Serializer):
    live_stream_id = serializers.IntegerField(required=False, allow_null=True)


class CampaignSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_label", read_only=True)
    enrolled_stores = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "description", "starts_at", "ends_at", "every", "off", "cap", "rule", "brands",
            "platform_share", "budget", "spent", "exclusive", "is_active", "enrolled_stores",
        ]  # fmt: skip
        read_only_fields = ["id", "spent", "rule", "enrolled_stores"]
        extra_kwargs = {"description": {"required": False}, "platform_share": {"required": False}}

    def get_enrolled_stores(self, campaign: Campaign) -> list[int]:
        return sorted(campaign.enrollments.values_list("store_id", flat=True))

    def validate(self, attrs):  # the rules live in services.clean_campaign; skip model-level checks here
        return attrs


class StoreCampaignSerializer(CampaignSerializer):
    enrolled = serializers.BooleanField(read_only=True)
    running = serializers.BooleanField(read_only=True)

    class Meta(CampaignSerializer.Meta):
        fields = [f for f in CampaignSerializer.Meta.fields if f not in ("budget", "spent", "enrolled_stores")]
        fields += ["enrolled", "running"]
        read_only_fields = fields


class ThresholdTierSerializer(serializers.Serializer):
    threshold = serializers.DecimalField(**MONEY)
    off = serializers.DecimalField(**MONEY)


class StorePromotionSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_label", read_only=True)
    skus = serializers.PrimaryKeyRelatedField(many=True, queryset=SKU.objects.all(), required=False)
    tiers = ThresholdTierSerializer(many=True, required=False)

    class Meta:
        model = StorePromotion
        fields = [
            "id", "kind", "name", "rule", "valid_from", "valid_to", "exclusive", "is_active", "skus",
            "discount_type", "value", "live_stream_id", "tiers", "every", "off", "cap", "threshold",
            "first_order_scope",
        ]  # fmt: skip
        read_only_fields = ["id", "rule"]

    def validate(self, attrs):
        return attrs


class QuoteCartItemSerializer(serializers.Serializer):
    sku = serializers.IntegerField(min_value=1, help_text="SKU id; the price comes from the database")
    quantity = serializers.IntegerField(min_value=1, max_value=9999)


class CartQuoteRequestSerializer(serializers.Serializer):
    items = QuoteCartItemSerializer(many=True, allow_empty=False, max_length=200)
    coupon_choice = serializers.JSONField(
        required=False, default="best", help_text='"best" or a list of your coupon ids to use exactly as given'
    )
    campaign = serializers.IntegerField(required=False, help_text="Operators: preview with this campaign included")
    coupon_template = serializers.IntegerField(
        required=False, help_text="Operators: preview as if the shopper held a coupon of this template"
    )
    at = serializers.DateTimeField(required=False, help_text="Operators: price as at this time")


class PricedLineDiscountSerializer(serializers.Serializer):
    lane = serializers.CharField()
    source_kind = serializers.CharField()
    source_id = serializers.IntegerField()
    label = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    platform_funded = serializers.DecimalField(**MONEY)
    merchant_funded = serializers.DecimalField(**MONEY)


class PricedLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    sku_id = serializers.IntegerField()
    store_id = serializers.IntegerField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(**MONEY)
    subtotal = serializers.DecimalField(**MONEY)
    base = serializers.DecimalField(**MONEY)
    payable = serializers.DecimalField(**MONEY)
    discounts = PricedLineDiscountSerializer(many=True)


class PricedStoreSerializer(serializers.Serializer):
    store_id = serializers.IntegerField()
    subtotal = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    payable = serializers.DecimalField(**MONEY)


class PricingHintSerializer(serializers.Serializer):
    label = serializers.CharField()
    spend_more = serializers.DecimalField(**MONEY)
    save = serializers.DecimalField(**MONEY)
    source_kind = serializers.CharField()
    source_id = serializers.IntegerField(allow_null=True)


class CouponOptionSerializer(serializers.Serializer):
    coupon_id = serializers.IntegerField()
    label = serializers.CharField()
    lane = serializers.CharField()
    selected = serializers.BooleanField()
    usable = serializers.BooleanField()
    reason = serializers.CharField()


class PricedCartSerializer(serializers.Serializer):
    lines = PricedLineSerializer(many=True)
    stores = PricedStoreSerializer(many=True)
    subtotal = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    payable = serializers.DecimalField(**MONEY)
    hints = PricingHintSerializer(many=True)
    coupons_used = serializers.ListField(child=serializers.IntegerField())
    coupon_options = CouponOptionSerializer(many=True)
