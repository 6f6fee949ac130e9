"""Serializers of the refunds API (input validation of shapes only; rules live in refunds.services)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from refunds.models import RefundLine, RefundPolicyVersion, RefundRequest
from refunds.reasons import reason_message


class RefundLineSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(source="order_line_id")
    title = serializers.CharField(source="order_line.title")
    sku_label = serializers.CharField(source="order_line.sku_label")

    class Meta:
        model = RefundLine
        fields = ["line", "title", "sku_label", "quantity", "amount"]


class PolicyReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField(child=serializers.CharField(), required=False)
    message = serializers.SerializerMethodField(help_text="The reason in the request's language.")

    def get_message(self, reason) -> str:
        return reason_message(reason)

    def to_representation(self, reason):
        if isinstance(reason, dict):  # stored JSON: {"code", "params"}
            reason = {"params": {}, **reason}
        return super().to_representation(reason)


class PolicyDecisionSerializer(serializers.Serializer):
    instant = serializers.BooleanField()
    reasons = PolicyReasonSerializer(many=True)


class RefundSerializer(serializers.ModelSerializer):
    suborder_number = serializers.CharField(source="suborder.number")
    order_number = serializers.CharField(source="suborder.order.number")
    store_name = serializers.CharField(source="store.name")
    brand = serializers.CharField(source="store.brand")
    policy_version = serializers.IntegerField(source="policy_version.number")
    policy_decision = serializers.SerializerMethodField()
    lines = RefundLineSerializer(many=True)
    return_address = serializers.SerializerMethodField()
    insurance_paid = serializers.SerializerMethodField()

    class Meta:
        model = RefundRequest
        fields = [
            "id", "suborder", "suborder_number", "order_number", "store", "store_name", "brand", "kind", "reason",
            "description", "amount", "status", "instant", "policy_version", "policy_decision", "deadline_at",
            "rejection_reason", "escalation_note", "operator_note", "return_carrier", "return_tracking_number",
            "no_reason", "return_insured", "return_postage", "return_address", "insurance_paid",
            "created_at", "approved_at", "refunded_at", "closed_at", "lines",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PolicyDecisionSerializer)
    def get_policy_decision(self, refund: RefundRequest) -> dict:
        return PolicyDecisionSerializer({"instant": False, "reasons": [], **(refund.policy_decision or {})}).data

    def get_return_address(self, refund) -> str | None:
        """Where to send the goods (the store's return address), for a return and refund."""
        if refund.kind != RefundRequest.Kind.RETURN_AND_REFUND:
            return None
        from logistics.returns import return_address

        return return_address(refund.store) or None

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_insurance_paid(self, refund):
        """The return postage the platform paid (运费险), once the goods are back."""
        payout = getattr(refund, "insurance_payout", None) if refund.return_insured else None
        return f"{payout.amount:.2f}" if payout else None


class RefundLineQuantitySerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1)


class RefundChangeSerializer(serializers.Serializer):
    lines = RefundLineQuantitySerializer(many=True, allow_empty=False)
    kind = serializers.ChoiceField(choices=RefundRequest.Kind.choices, default=RefundRequest.Kind.REFUND_ONLY)
    reason = serializers.ChoiceField(choices=RefundRequest.Reason.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    def validate_lines(self, value):
        seen = set()
        for item in value:
            if item["line"] in seen:
                raise serializers.ValidationError("Each line may appear once.")
            seen.add(item["line"])
        return value

    def quantities(self) -> dict[int, int]:
        return {item["line"]: item["quantity"] for item in self.validated_data["lines"]}


class RefundPreviewSerializer(serializers.Serializer):
    lines = RefundLineQuantitySerializer(many=True, allow_empty=False)
    kind = serializers.ChoiceField(choices=RefundRequest.Kind.choices, default=RefundRequest.Kind.REFUND_ONLY)

    def quantities(self) -> dict[int, int]:
        return {item["line"]: item["quantity"] for item in self.validated_data["lines"]}


class RefundCreateSerializer(RefundChangeSerializer):
    suborder = serializers.IntegerField(min_value=1)
    idempotency_key = serializers.CharField(max_length=80, help_text="Repeat it to retry safely: same request back.")
    no_reason = serializers.BooleanField(
        default=False, help_text="A 7-day no-reason return (7天无理由退货): approved for return at once, else 409"
    )


class RefundableLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line.pk")
    title = serializers.CharField(source="line.title")
    quantity = serializers.IntegerField(source="line.quantity")
    payable = serializers.DecimalField(source="line.payable", max_digits=12, decimal_places=2)
    refundable_quantity = serializers.IntegerField()
    refundable_amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class RefundRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class RefundNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, allow_blank=True)


class RefundReturnShipmentSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=60, allow_blank=True, help_text="A carrier from the carrier list")
    tracking_number = serializers.CharField(max_length=60, allow_blank=True)
    postage = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True,
        help_text="What you paid to send it back: refunded by 运费险 (up to the cap) when the store has it",
    )  # fmt: skip


class RefundDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(max_length=1000, allow_blank=True)


class PolicyVersionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", allow_null=True, read_only=True)
    published_by = serializers.CharField(source="published_by.username", allow_null=True, read_only=True)

    class Meta:
        model = RefundPolicyVersion
        fields = ["number", "status", "rules", "note", "author", "created_at", "published_by", "published_at"]
        read_only_fields = fields


class PolicyVersionCreateSerializer(serializers.Serializer):
    rules = serializers.JSONField(help_text="Same shape as refunds.policy: {brands: {TMALL: {...}}, timeouts: {...}}")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(default=False)


class PolicyOverviewSerializer(serializers.Serializer):
    current = PolicyVersionSerializer()
    presets = serializers.DictField(child=serializers.JSONField())


class PolicyDryRunRequestSerializer(serializers.Serializer):
    rules = serializers.JSONField()
    last = serializers.IntegerField(min_value=1, max_value=1000, default=50)


class PolicyDryRunRowSerializer(serializers.Serializer):
    reference = serializers.CharField()
    store = serializers.CharField()
    brand = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid_at = serializers.DateTimeField()
    shipped = serializers.BooleanField()
    draft = PolicyDecisionSerializer()
    current = PolicyDecisionSerializer()
    changed = serializers.BooleanField()


class PolicyDryRunSerializer(serializers.Serializer):
    summary = serializers.DictField(child=serializers.IntegerField())
    rows = PolicyDryRunRowSerializer(many=True)


class CreditSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="late_shipment (late-shipment compensation) or return_insurance (运费险).")
    label = serializers.CharField(help_text="The kind in the request's language.")
    reason = serializers.CharField(help_text="Why the shopper was credited, in the request's language.")
    credited_at = serializers.DateTimeField(source="at")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    order_number = serializers.CharField()
    suborder_number = serializers.CharField()
    refund = serializers.IntegerField(source="refund_id", allow_null=True, help_text="The refund request (运费险).")


class CreditHistorySerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Everything credited, all pages.")
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CreditSerializer(many=True)
