"""REST API: start paying an order, read a payment, the sandbox gateway's page action, and the gateway callback."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from orders import selectors
from payments import selectors as payment_selectors
from payments import services
from payments.gateway import SIGNATURE_HEADER, get_gateway
from payments.models import Payment
from payments.serializers import (
    CallbackAckSerializer,
    CallbackPayloadSerializer,
    PaymentSerializer,
    PaymentStartSerializer,
    SandboxOutcomeSerializer,
    StuckDeliverySerializer,
)


class PayOrderView(APIView):
    """Start paying an unpaid order of yours: answers the gateway page to redirect the shopper to."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: PaymentStartSerializer})
    def post(self, request, number: str):
        order = selectors.order_for_shopper(request.user, number)
        payment = services.start_payment(order, request.user)
        body = {"status": "paid" if payment is None else "redirect", "payment": payment}
        return Response(PaymentStartSerializer(body).data)


class PaymentView(APIView):
    """One of your payments (status: pending, succeeded, failed, refunded)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=PaymentSerializer)
    def get(self, request, reference: str):
        payment = get_object_or_404(Payment, reference=reference, order__shopper=request.user)
        return Response(PaymentSerializer(payment).data)


class SandboxCompleteView(APIView):
    """The sandbox gateway's hosted page, as an API: choose "pay" or "fail". The gateway then notifies the
    platform asynchronously (signed callback from a worker)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SandboxOutcomeSerializer, responses=PaymentSerializer)
    def post(self, request, reference: str):
        payment = get_object_or_404(Payment, reference=reference, order__shopper=request.user)
        data = SandboxOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = get_gateway(payment.gateway).complete(payment.reference, data.validated_data["outcome"])
        return Response(PaymentSerializer(payment).data)


class CallbackView(APIView):
    """Gateway → platform notification. Verified with HMAC-SHA256 over the raw body (X-Sandbox-Signature).
    2xx acknowledges (the gateway stops retrying); 400 = forged, unknown or mismatched, nothing changed."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=CallbackPayloadSerializer,
        parameters=[OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True)],
        responses={200: CallbackAckSerializer, 400: OpenApiResponse(CallbackAckSerializer)},
    )
    def post(self, request, gateway: str = "sandbox"):
        result = services.handle_callback(request.body, request.headers.get(SIGNATURE_HEADER, ""), gateway)
        return Response({"detail": result.message}, status=result.status_code)


class StuckDeliveriesView(generics.ListAPIView):
    """Operators: gateway notifications still unacknowledged a few minutes after the shopper paid, oldest first,
    with the last error (the payments waiting on them stay "awaiting payment")."""

    permission_classes = [IsOperator]
    serializer_class = StuckDeliverySerializer

    def get_queryset(self):
        return payment_selectors.stuck_deliveries()


class RedeliverView(APIView):
    """Operators: send a stuck notification again, to the platform's current callback address (404 unknown,
    409 already acknowledged)."""

    permission_classes = [IsOperator]

    @extend_schema(request=None, responses={202: StuckDeliverySerializer})
    def post(self, request, pk: int):
        delivery = services.redeliver(pk)
        delivery.refresh_from_db()
        return Response(StuckDeliverySerializer(delivery).data, status=202)
