"""REST API for refunds: shoppers' requests and credits, merchants' reviews (operators: refunds.api_ops).

Thin: refunds.services decide; every DomainError becomes a 4xx JSON body (marketplace.api.exception_handler).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.models import SubOrder
from refunds import selectors
from refunds.models import RefundRequest
from refunds.serializers import (
    CreditHistorySerializer,
    PolicyDecisionSerializer,
    RefundableLineSerializer,
    RefundChangeSerializer,
    RefundCreateSerializer,
    RefundNoteSerializer,
    RefundPreviewSerializer,
    RefundRejectSerializer,
    RefundReturnShipmentSerializer,
    RefundSerializer,
)
from refunds.services import assessment, review
from refunds.services import requests as refund_requests
from shops.permissions import stores_for

STATUS_PARAM = OpenApiParameter("status", str, enum=RefundRequest.Status.values, required=False)


def refund_response(refund: RefundRequest, status_code=status.HTTP_200_OK) -> Response:
    refund = selectors.with_lines(RefundRequest.objects.select_related("suborder__order", "store",
                                  "policy_version")).get(pk=refund.pk)  # fmt: skip
    return Response(RefundSerializer(refund).data, status=status_code)


def filter_status(queryset, request):
    wanted = request.query_params.get("status")
    return queryset.filter(status=wanted) if wanted in RefundRequest.Status.values else queryset


# --- shopper ------------------------------------------------------------------------------------------------------


class RefundListCreateView(generics.ListAPIView):
    """The shopper's refund requests; POST opens one (the same idempotency_key returns the same request, 200)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RefundRequest.objects.none()
        queryset = selectors.with_lines(selectors.for_shopper(self.request.user).select_related("policy_version"))
        return filter_status(queryset, self.request)

    @extend_schema(parameters=[STATUS_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=RefundCreateSerializer, responses={201: RefundSerializer, 200: RefundSerializer})
    def post(self, request):
        data = RefundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = RefundRequest.objects.filter(
            shopper=request.user, idempotency_key=data.validated_data["idempotency_key"].strip()
        ).exists()
        refund = refund_requests.create_request(
            shopper=request.user,
            suborder_id=data.validated_data["suborder"],
            quantities=data.quantities(),
            kind=data.validated_data["kind"],
            reason=data.validated_data["reason"],
            description=data.validated_data["description"],
            idempotency_key=data.validated_data["idempotency_key"],
            no_reason=data.validated_data["no_reason"],
        )
        return refund_response(refund, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class CancelOverdueSerializer(serializers.Serializer):
    suborder = serializers.IntegerField()
    idempotency_key = serializers.CharField(max_length=80)


class CancelOverdueView(APIView):
    """Cancel a sub-order the store did not ship by its ship-by time: an instant full refund of what is left
    (409 when it is not overdue). The same idempotency_key returns the same refund."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CancelOverdueSerializer, responses={201: RefundSerializer, 200: RefundSerializer})
    def post(self, request):
        data = CancelOverdueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = data.validated_data["idempotency_key"].strip()
        existed = RefundRequest.objects.filter(shopper=request.user, idempotency_key=key).exists()
        refund = refund_requests.cancel_overdue(
            shopper=request.user, suborder_id=data.validated_data["suborder"], idempotency_key=key
        )
        return refund_response(refund, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class RefundDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RefundRequest.objects.none()
        return selectors.with_lines(selectors.for_shopper(self.request.user).select_related("policy_version"))


class RefundableLinesView(APIView):
    """What can still be refunded on each line of one of the shopper's sub-orders."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=RefundableLineSerializer(many=True))
    def get(self, request, suborder_id: int):
        suborder = get_object_or_404(SubOrder, pk=suborder_id, order__shopper=request.user)
        return Response(RefundableLineSerializer(selectors.refundable_lines(suborder), many=True).data)


class RefundPreviewView(APIView):
    """Before requesting: would this refund be instant? The same policy evaluation the request will use (reasons
    in the request's language when not). 400 when the items cannot be requested."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=RefundPreviewSerializer, responses=PolicyDecisionSerializer)
    def post(self, request, suborder_id: int):
        suborder = get_object_or_404(
            SubOrder.objects.select_related("order", "store"), pk=suborder_id, order__shopper=request.user
        )
        data = RefundPreviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = assessment.predict(suborder, data.quantities(), data.validated_data["kind"], strict=True)
        return Response(PolicyDecisionSerializer(decision).data)


class MyCreditsView(generics.GenericAPIView):
    """The signed-in shopper's credits (late-shipment compensation, 运费险 payouts), newest first, with the total;
    only their own."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CreditHistorySerializer

    @extend_schema(parameters=[OpenApiParameter("page", int, required=False)], responses=CreditHistorySerializer)
    def get(self, request):
        page = self.paginate_queryset(selectors.credits_of(request.user))
        history = {
            "total": selectors.credit_total(request.user),
            "count": self.paginator.page.paginator.count,
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
            "results": selectors.credit_rows(page),
        }
        return Response(CreditHistorySerializer(history).data)


class ShopperActionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.own(kwargs["pk"])  # another shopper's request is a 404 before the body is read

    def own(self, pk: int) -> RefundRequest:
        return get_object_or_404(RefundRequest, pk=pk, shopper=self.request.user)


class RefundWithdrawView(ShopperActionView):
    @extend_schema(request=None, responses=RefundSerializer)
    def post(self, request, pk: int):
        return refund_response(refund_requests.withdraw_request(self.own(pk).pk, shopper=request.user))


class RefundModifyView(ShopperActionView):
    """Change a rejected request (lines, quantities, type, reason); it goes back to the merchant."""

    @extend_schema(request=RefundChangeSerializer, responses=RefundSerializer)
    def post(self, request, pk: int):
        data = RefundChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = refund_requests.modify_request(
            self.own(pk).pk,
            shopper=request.user,
            quantities=data.quantities(),
            kind=data.validated_data["kind"],
            reason=data.validated_data["reason"],
            description=data.validated_data["description"],
        )
        return refund_response(refund)


class RefundEscalateView(ShopperActionView):
    """Ask the platform to step in (平台介入) after a rejection."""

    @extend_schema(request=RefundNoteSerializer, responses=RefundSerializer)
    def post(self, request, pk: int):
        data = RefundNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return refund_response(review.escalate(self.own(pk).pk, shopper=request.user, note=data.validated_data["note"]))


class RefundReturnShipmentView(ShopperActionView):
    @extend_schema(request=RefundReturnShipmentSerializer, responses=RefundSerializer)
    def post(self, request, pk: int):
        data = RefundReturnShipmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = review.submit_return_shipment(
            self.own(pk).pk,
            shopper=request.user,
            carrier=data.validated_data["carrier"],
            tracking_number=data.validated_data["tracking_number"],
            postage=data.validated_data.get("postage"),
        )
        return refund_response(refund)


# --- merchant -----------------------------------------------------------------------------------------------------


class SellerRefundListView(generics.ListAPIView):
    """Refund requests of the stores where the user handles refunds (optionally one store, one status)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RefundRequest.objects.none()
        queryset = selectors.with_lines(selectors.for_merchant(self.request.user).select_related("policy_version"))
        store = self.request.query_params.get("store")
        if store and store.isdigit():
            queryset = queryset.filter(store_id=int(store))
        return filter_status(queryset, self.request).order_by("deadline_at", "-created_at")

    @extend_schema(parameters=[STATUS_PARAM, OpenApiParameter("store", int, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SellerRefundDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RefundRequest.objects.none()
        return selectors.with_lines(selectors.for_merchant(self.request.user).select_related("policy_version"))


class SellerActionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Another store's request is a 404 before the body is read.
        get_object_or_404(RefundRequest, pk=kwargs["pk"], store_id__in=self.store_ids())

    def store_ids(self) -> list[int]:
        from shops.permissions import Capability

        return list(stores_for(self.request.user, Capability.HANDLE_REFUNDS).values_list("pk", flat=True))


class SellerApproveView(SellerActionView):
    @extend_schema(request=None, responses=RefundSerializer)
    def post(self, request, pk: int):
        return refund_response(review.merchant_approve(pk, actor=request.user, store_ids=self.store_ids()))


class SellerRejectView(SellerActionView):
    """Reject with a reason (required)."""

    @extend_schema(request=RefundRejectSerializer, responses=RefundSerializer)
    def post(self, request, pk: int):
        data = RefundRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = review.merchant_reject(
            pk, actor=request.user, store_ids=self.store_ids(), reason=data.validated_data["reason"]
        )
        return refund_response(refund)


class SellerConfirmReturnView(SellerActionView):
    @extend_schema(request=None, responses=RefundSerializer)
    def post(self, request, pk: int):
        return refund_response(review.merchant_confirm_return(pk, actor=request.user, store_ids=self.store_ids()))
