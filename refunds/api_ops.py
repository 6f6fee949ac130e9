"""REST API for operators: refund disputes and the refund policy (versions, publishing, dry runs).

Thin: refunds.services decide; every DomainError becomes a 4xx JSON body (marketplace.api.exception_handler).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from refunds import selectors
from refunds.api import STATUS_PARAM, filter_status, refund_response
from refunds.models import RefundPolicyVersion, RefundRequest
from refunds.policy import PRESETS
from refunds.serializers import (
    PolicyDryRunRequestSerializer,
    PolicyDryRunSerializer,
    PolicyOverviewSerializer,
    PolicyVersionCreateSerializer,
    PolicyVersionSerializer,
    RefundDecisionSerializer,
    RefundSerializer,
)
from refunds.services import policies, review


class OpsRefundListView(generics.ListAPIView):
    permission_classes = [IsOperator]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RefundRequest.objects.none()
        queryset = selectors.with_lines(selectors.for_operator().select_related("policy_version"))
        return filter_status(queryset, self.request).order_by("-updated_at")

    @extend_schema(parameters=[STATUS_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OpsRefundDetailView(generics.RetrieveAPIView):
    permission_classes = [IsOperator]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RefundRequest.objects.none()
        return selectors.with_lines(selectors.for_operator().select_related("policy_version"))


class OpsDecideView(APIView):
    """Decide an escalated refund: approve (the shopper is refunded) or reject (closed); a note is required."""

    permission_classes = [IsOperator]

    @extend_schema(request=RefundDecisionSerializer, responses=RefundSerializer)
    def post(self, request, pk: int):
        data = RefundDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        get_object_or_404(RefundRequest, pk=pk)
        refund = review.operator_decide(
            pk, operator=request.user, approve=data.validated_data["decision"] == "approve",
            note=data.validated_data["note"],
        )  # fmt: skip
        return refund_response(refund)


class PolicyView(APIView):
    """The policy version in force and the presets (current rule, earlier 2 h / 200.00 rule)."""

    permission_classes = [IsOperator]

    @extend_schema(responses=PolicyOverviewSerializer)
    def get(self, request):
        return Response(
            {
                "current": PolicyVersionSerializer(policies.current_version()).data,
                "presets": {name: policy.to_json() for name, policy in PRESETS.items()},
            }
        )


class PolicyVersionsView(generics.ListAPIView):
    """Every version (newest first); POST validates and stores a new one (draft, or published at once)."""

    permission_classes = [IsOperator]
    serializer_class = PolicyVersionSerializer
    queryset = RefundPolicyVersion.objects.select_related("author", "published_by")

    @extend_schema(request=PolicyVersionCreateSerializer, responses={201: PolicyVersionSerializer})
    def post(self, request):
        data = PolicyVersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = policies.save_version(
            data.validated_data["rules"], author=request.user, note=data.validated_data["note"],
            publish=data.validated_data["publish"],
        )  # fmt: skip
        return Response(PolicyVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class PolicyPublishView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=None, responses=PolicyVersionSerializer)
    def post(self, request, number: int):
        version = get_object_or_404(RefundPolicyVersion, number=number)
        return Response(PolicyVersionSerializer(policies.publish(version.pk, actor=request.user)).data)


class PolicyDryRunView(APIView):
    """Which of the last N paid sub-orders a full refund would pay instantly under the draft rules."""

    permission_classes = [IsOperator]

    @extend_schema(request=PolicyDryRunRequestSerializer, responses=PolicyDryRunSerializer)
    def post(self, request):
        data = PolicyDryRunRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = selectors.dry_run(policies.parse(data.validated_data["rules"]), last=data.validated_data["last"])
        rows = [
            {**row.__dict__, "draft": row.draft.to_json(), "current": row.current.to_json(), "changed": row.changed}
            for row in result.rows
        ]
        return Response(PolicyDryRunSerializer({"summary": result.summary, "rows": rows}).data)
