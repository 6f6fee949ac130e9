"""Logistics API: the carrier list, the carrier webhook, and a merchant's late shipments."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from logistics import carriers, selectors
from logistics import serializers as s
from logistics.services import ship_by, tracking
from shops.permissions import Capability, stores_for


class CarrierListView(APIView):
    """The carriers a merchant can ship with (快递公司)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.CarrierSerializer(many=True))
    def get(self, request):
        return Response([{"code": code, "name": name} for code, name in carriers.choices()])


class CarrierWebhookView(APIView):
    """Carrier → platform tracking notification. HMAC-SHA256 over ``timestamp.nonce.body`` (X-Carrier-Signature),
    with X-Carrier-Timestamp (unix seconds, at most 5 minutes old) and X-Carrier-Nonce (never reused).
    200 acknowledges (a repeated event id is acknowledged and ignored); 400 = forged, replayed or unknown."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=s.WebhookPayloadSerializer,
        parameters=[
            OpenApiParameter(tracking.SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter(tracking.TIMESTAMP_HEADER, str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter(tracking.NONCE_HEADER, str, OpenApiParameter.HEADER, required=True),
        ],
        responses={200: s.WebhookAckSerializer, 400: OpenApiResponse(s.WebhookAckSerializer)},
    )
    def post(self, request):
        result = tracking.handle_webhook(
            request.body,
            timestamp=request.headers.get(tracking.TIMESTAMP_HEADER, ""),
            nonce=request.headers.get(tracking.NONCE_HEADER, ""),
            signature=request.headers.get(tracking.SIGNATURE_HEADER, ""),
        )
        return Response({"detail": result.message}, status=result.status_code)


class SellerLateShipmentListView(APIView):
    """Sub-orders of your stores that shipped late, newest first (filter with ?store=)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("store", int, required=False)], responses=s.LateShipmentSerializer(many=True)
    )
    def get(self, request):
        stores = stores_for(request.user, Capability.HANDLE_ORDERS)
        store = request.query_params.get("store")
        if store and store.isdigit():
            stores = stores.filter(pk=int(store))
        return Response(s.LateShipmentSerializer(selectors.late_shipments_of(stores)[:200], many=True).data)


class SellerLateShipmentCountView(APIView):
    """Late-shipment count and compensation paid, per store you handle orders for."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.LateShipmentCountSerializer(many=True))
    def get(self, request):
        stores = stores_for(request.user, Capability.HANDLE_ORDERS)
        return Response(s.LateShipmentCountSerializer(selectors.late_shipment_counts(stores), many=True).data)


class WaitForStoreView(APIView):
    """An order paid before its store closed keeps its ship-by unless you agree to wait: GET shows the later ship-by
    agreeing would give (null when the store is not closed before the deadline); POST agrees (409 when there is
    nothing to wait for, or the sub-order is shipped or already overdue). Your own sub-orders only (else 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.WaitForStoreSerializer)
    def get(self, request, suborder_id: int):
        return Response(s.WaitForStoreSerializer(selectors.wait_offer(request.user, suborder_id)).data)

    @extend_schema(request=None, responses=s.WaitForStoreSerializer)
    def post(self, request, suborder_id: int):
        ship_by.agree_to_wait(shopper=request.user, suborder_id=suborder_id)
        return Response(s.WaitForStoreSerializer(selectors.wait_offer(request.user, suborder_id)).data)
