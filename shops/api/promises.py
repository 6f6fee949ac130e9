"""Service promises API: a merchant's service card, the operator's catalogue and platform holiday windows."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from shops import selectors, services
from shops import serializers as s
from shops.api.seller import own_store
from shops.permissions import Capability
from shops.promises import PlatformHoliday, ServiceCatalogue


class CatalogueSerializer(serializers.ModelSerializer):
    ship_within_choices = serializers.ListField(child=serializers.IntegerField(), required=False)
    return_excluded_verticals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ServiceCatalogue
        fields = (
            "ship_within_choices", "presale_max_days", "return_excluded_verticals", "return_insurance_cap",
            "late_compensation_rate", "late_compensation_cap", "updated_at",
        )  # fmt: skip


class CatalogueInputSerializer(serializers.Serializer):
    ship_within_choices = serializers.ListField(child=serializers.IntegerField(), required=False)
    presale_max_days = serializers.IntegerField(required=False)
    return_excluded_verticals = serializers.ListField(child=serializers.IntegerField(), required=False)
    return_insurance_cap = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    late_compensation_rate = serializers.DecimalField(max_digits=4, decimal_places=3, required=False)
    late_compensation_cap = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformHoliday
        fields = ("id", "name", "starts_on", "ends_on", "created_at")
        read_only_fields = ("id", "created_at")


class SellerServiceCardView(APIView):
    """Your store's service card (服务卡); PUT changes it within the operator's catalogue."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.ServiceCardSerializer)
    def get(self, request, store_id: int):
        return Response(selectors.service_card(own_store(request, store_id, Capability.MANAGE_STORE)))

    @extend_schema(request=s.ServiceCardInputSerializer, responses=s.ServiceCardSerializer)
    def put(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        data = s.ServiceCardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_service_card(store, **data.validated_data)
        store.refresh_from_db()
        return Response(selectors.service_card(store))


class OpsServiceCatalogueView(APIView):
    """The catalogue of promises stores may make, and the late-shipment compensation (operators)."""

    permission_classes = [IsOperator]

    @extend_schema(responses=CatalogueSerializer)
    def get(self, request):
        return Response(CatalogueSerializer(ServiceCatalogue.current()).data)

    @extend_schema(request=CatalogueInputSerializer, responses=CatalogueSerializer)
    def put(self, request):
        data = CatalogueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(CatalogueSerializer(services.save_catalogue(operator=request.user, **data.validated_data)).data)


class OpsHolidayListView(APIView):
    """Platform holiday windows (e.g. 春节): ship-by and refund-review clocks stop for every store."""

    permission_classes = [IsOperator]

    @extend_schema(responses=HolidaySerializer(many=True))
    def get(self, request):
        return Response(HolidaySerializer(PlatformHoliday.objects.order_by("-starts_on"), many=True).data)

    @extend_schema(request=HolidaySerializer, responses={201: HolidaySerializer})
    def post(self, request):
        data = HolidaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = services.declare_holiday(operator=request.user, **data.validated_data)
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)


class OpsHolidayDetailView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        """Remove a holiday window that has not begun."""
        services.remove_holiday(get_object_or_404(PlatformHoliday, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
