"""Operator API (/api/v1/ops/...): brand-authorization review queue and decisions, merchants and stores."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from shops import serializers as s
from shops import services
from shops.models import (
    BrandAuthorization,
    Merchant,
    Store,
)

# --- operator -------------------------------------------------------------------------------------------------


class OpsBrandAuthorizationListView(generics.ListAPIView):
    """The review queue (default: pending, oldest first)."""

    permission_classes = [IsOperator]
    serializer_class = s.OpsBrandAuthorizationSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=BrandAuthorization.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        wanted = self.request.query_params.get("status") or BrandAuthorization.Status.PENDING
        return (
            BrandAuthorization.objects.filter(status=wanted)
            .select_related("store__merchant")
            .order_by("submitted_at", "id")
        )


class OpsBrandDecisionView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.DecisionSerializer, responses=s.OpsBrandAuthorizationSerializer)
    def post(self, request, pk: int):
        """Approve (the Tmall store opens) or reject (reason required)."""
        authorization = get_object_or_404(BrandAuthorization, pk=pk)
        data = s.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.decide_brand_authorization(
            authorization,
            operator=request.user,
            approve=data.validated_data["decision"] == "approve",
            reason=data.validated_data["reason"],
        )
        return Response(s.OpsBrandAuthorizationSerializer(decided).data)


class OpsMerchantListView(generics.ListAPIView):
    permission_classes = [IsOperator]
    serializer_class = s.OpsMerchantSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str, description="name, owner or store name")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        merchants = Merchant.objects.select_related("owner").prefetch_related("stores").order_by("name")
        q = (self.request.query_params.get("q") or "").strip()
        if q:
            merchants = merchants.filter(
                Q(name__icontains=q) | Q(owner__username__icontains=q) | Q(stores__name__icontains=q)
            ).distinct()
        return merchants


class OpsStoreListView(generics.ListAPIView):
    permission_classes = [IsOperator]
    serializer_class = s.OpsStoreSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("brand", str),
                               OpenApiParameter("status", str)])  # fmt: skip
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        stores = Store.objects.select_related("merchant").order_by("name")
        params = self.request.query_params
        q = (params.get("q") or "").strip()
        if q:
            stores = stores.filter(Q(name__icontains=q) | Q(slug__icontains=q) | Q(merchant__name__icontains=q))
        if params.get("brand"):
            stores = stores.filter(brand=params["brand"].upper())
        if params.get("status"):
            stores = stores.filter(status=params["status"])
        return stores


class OpsStoreApproveView(APIView):
    """Open a store that waits for an operator: a new seller's first store, or a suspended one to reinstate (a
    Tmall store still needs its approved brand authorization)."""

    permission_classes = [IsOperator]

    @extend_schema(request=None, responses=s.OpsStoreSerializer)
    def post(self, request, pk: int):
        store = services.open_store(get_object_or_404(Store, pk=pk), by_operator=True)
        return Response(s.OpsStoreSerializer(store).data)
