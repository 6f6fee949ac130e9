from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from settlement.models import CommissionRate, Payout, SettlementRun
from shops.models import Category


class FinanceStatementLineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    reference = serializers.CharField()
    memo = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    platform_subsidy = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    commission = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    adjustments = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class FinanceStatementSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    opening = serializers.DecimalField(max_digits=12, decimal_places=2)
    closing = serializers.DecimalField(max_digits=12, decimal_places=2)
    totals = serializers.DictField(child=serializers.DecimalField(max_digits=12, decimal_places=2))
    lines = FinanceStatementLineSerializer(many=True)


class CommissionRateSerializer(serializers.ModelSerializer):
    vertical = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(parent__isnull=True), allow_null=True, required=False
    )
    rate = serializers.DecimalField(max_digits=5, decimal_places=4, min_value=Decimal("0"), max_value=Decimal("0.5"))

    class Meta:
        model = CommissionRate
        fields = ["id", "vertical", "brand", "rate", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []  # (vertical, brand) is upserted, not refused


class SettlementRunSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = SettlementRun
        fields = ["id", "status", "total", "done", "skipped", "failed", "amount", "percent", "error", "created_at",
                  "started_at", "finished_at"]  # fmt: skip
        read_only_fields = fields


class FinancePayoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payout
        fields = ["id", "store", "period", "amount", "created_at"]
        read_only_fields = fields


class PromotionSubsidySerializer(serializers.Serializer):
    source_kind = serializers.CharField()
    source_id = serializers.IntegerField()
    label = serializers.CharField()
    store_id = serializers.IntegerField()
    store = serializers.CharField()
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    subsidy = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReturnInsuranceSerializer(serializers.Serializer):
    store_id = serializers.IntegerField()
    store = serializers.CharField()
    payouts = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
