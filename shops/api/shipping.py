"""Merchant API of shipping templates (运费模板), scoped to the caller's stores (others answer 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from shops.api.seller import MerchantView, own_store
from shops.models import ShippingTemplate
from shops.permissions import Capability, stores_for
from shops.services import shipping as services


class RegionSerializer(serializers.Serializer):
    provinces = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1)
    first_fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    additional_fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    remote = serializers.BooleanField(default=False, help_text="Remote regions are never free (偏远地区)")


class ShippingTemplateSerializer(serializers.ModelSerializer):
    regions = RegionSerializer(many=True, required=False)
    products = serializers.ListField(
        child=serializers.IntegerField(), required=False, write_only=True,
        help_text="Ids of this store's products that use the template (replaces the current set)",
    )  # fmt: skip
    product_ids = serializers.SerializerMethodField()

    class Meta:
        model = ShippingTemplate
        fields = [
            "id", "store", "name", "mode", "free_over", "first_fee", "additional_fee", "regions", "is_default",
            "products", "product_ids",
        ]  # fmt: skip
        read_only_fields = ["store"]
        validators: list = []  # shops.services.shipping checks names and rules with clear messages

    def get_product_ids(self, template) -> list[int]:
        return sorted(template.products.values_list("pk", flat=True))

    def service_fields(self) -> dict:
        data = dict(self.validated_data)
        if "regions" in data:
            data["regions"] = [
                {**row, "first_fee": str(row["first_fee"]), "additional_fee": str(row["additional_fee"])}
                for row in data["regions"]
            ]
        return data


def own_template(request, pk: int) -> ShippingTemplate:
    return get_object_or_404(ShippingTemplate, pk=pk, store__in=stores_for(request.user, Capability.MANAGE_CATALOG))


class SellerShippingTemplateListView(MerchantView):
    """A store's shipping templates; POST adds one (optionally assigning products and making it the default)."""

    @extend_schema(responses=ShippingTemplateSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        return Response(ShippingTemplateSerializer(store.shipping_templates.all(), many=True).data)

    @extend_schema(request=ShippingTemplateSerializer, responses={201: ShippingTemplateSerializer})
    def post(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        data = ShippingTemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.save_template(store=store, **data.service_fields())
        return Response(ShippingTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class SellerShippingTemplateDetailView(MerchantView):
    @extend_schema(responses=ShippingTemplateSerializer)
    def get(self, request, pk: int):
        return Response(ShippingTemplateSerializer(own_template(request, pk)).data)

    @extend_schema(request=ShippingTemplateSerializer, responses=ShippingTemplateSerializer)
    def patch(self, request, pk: int):
        template = own_template(request, pk)
        data = ShippingTemplateSerializer(template, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        template = services.save_template(store=template.store, template=template, **data.service_fields())
        return Response(ShippingTemplateSerializer(template).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.delete_template(own_template(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
