"""The operator console's API shapes: brand authorization review, merchants and stores."""

from __future__ import annotations

from rest_framework import serializers

from shops.models import BrandAuthorization, Merchant, Store
from shops.serializers.catalog import StoreBriefSerializer


class OpsBrandAuthorizationSerializer(serializers.ModelSerializer):
    store = StoreBriefSerializer()
    merchant = serializers.CharField(source="store.merchant.name")

    class Meta:
        model = BrandAuthorization
        fields = ["id", "store", "merchant", "brand_name", "document", "document_note", "status", "decision_reason",
                  "submitted_at", "decided_at"]  # fmt: skip


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpsMerchantSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    stores = StoreBriefSerializer(many=True)

    class Meta:
        model = Merchant
        fields = ["id", "name", "kind", "owner", "created_at", "stores"]


class OpsStoreSerializer(serializers.ModelSerializer):
    merchant = serializers.CharField(source="merchant.name")

    class Meta:
        model = Store
        fields = ["id", "name", "slug", "brand", "status", "rating", "merchant", "created_at"]
