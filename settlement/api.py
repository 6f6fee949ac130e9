"""REST API for finance: merchant statements, commission rates, settlement runs, payouts, promotion subsidies."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from settlement import services as settlement_services
from settlement import statements
from settlement.models import CommissionRate, Payout, SettlementRun
from settlement.serializers import (
    CommissionRateSerializer,
    FinancePayoutSerializer,
    FinanceStatementSerializer,
    PromotionSubsidySerializer,
    ReturnInsuranceSerializer,
    SettlementRunSerializer,
)
from shops.permissions import Capability, stores_for


def statement_data(result: statements.Statement) -> dict:
    lines = []
    for line in result.lines:
        s = line.settlement
        lines.append(
            {
                "at": line.at, "kind": line.kind, "reference": line.reference, "memo": line.memo,
                "amount": line.amount, "paid": s.paid_amount if s else None,
                "platform_subsidy": s.platform_subsidy if s else None, "commission": s.commission if s else None,
                "adjustments": s.adjustments_total if s else None,
            }
        )  # fmt: skip
    return {
        "store": result.store_id, "start": result.start, "end": result.end, "opening": result.opening,
        "closing": result.closing, "totals": result.totals, "lines": lines,
    }  # fmt: skip


class SellerStatementView(APIView):
    """A store's statement for a month (owner's finance capability); another merchant's store is 404."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("store", int, required=True),
            OpenApiParameter("month", str, description="YYYY-MM"),
        ],
        responses=FinanceStatementSerializer,
    )
    def get(self, request):
        store_id = request.query_params.get("store", "")
        if not store_id.isdigit():
            raise serializers.ValidationError({"store": "A store id is required."})
        store = get_object_or_404(stores_for(request.user, Capability.VIEW_FINANCE), pk=int(store_id))
        start, end = statements.month_bounds(request.query_params.get("month"))
        return Response(FinanceStatementSerializer(statement_data(statements.statement(store.pk, start, end))).data)


class CommissionRatesView(generics.ListAPIView):
    """Commission rates; POST sets the rate of a (vertical, brand) scope (blank = any), replacing an existing one."""

    permission_classes = [IsOperator]
    serializer_class = CommissionRateSerializer
    queryset = CommissionRate.objects.all()

    @extend_schema(request=CommissionRateSerializer, responses={201: CommissionRateSerializer})
    def post(self, request):
        data = CommissionRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rate = settlement_services.set_commission_rate(
            data.validated_data.get("vertical"),
            data.validated_data.get("brand", ""),
            data.validated_data["rate"],
            request.user,
        )
        return Response(CommissionRateSerializer(rate).data, status=status.HTTP_201_CREATED)


class CommissionRateView(generics.DestroyAPIView):
    permission_classes = [IsOperator]
    serializer_class = CommissionRateSerializer
    queryset = CommissionRate.objects.all()


class SettlementRunsView(generics.ListAPIView):
    """Settlement runs; POST starts one now (a worker settles every received sub-order due; poll its progress)."""

    permission_classes = [IsOperator]
    serializer_class = SettlementRunSerializer
    queryset = SettlementRun.objects.all()

    @extend_schema(request=None, responses={202: SettlementRunSerializer})
    def post(self, request):
        run = settlement_services.start_run(request.user)
        return Response(SettlementRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class SettlementRunView(generics.RetrieveAPIView):
    permission_classes = [IsOperator]
    serializer_class = SettlementRunSerializer
    queryset = SettlementRun.objects.all()


class PayoutsView(generics.ListAPIView):
    """Payouts made to stores, newest first."""

    permission_classes = [IsOperator]
    serializer_class = FinancePayoutSerializer
    queryset = Payout.objects.all()


class PayoutRunView(APIView):
    """Pay out every store's positive payable for today's period now (idempotent per store and day)."""

    permission_classes = [IsOperator]

    @extend_schema(request=None, responses={201: FinancePayoutSerializer(many=True)})
    def post(self, request):
        payouts = settlement_services.run_payouts()
        return Response(FinancePayoutSerializer(payouts, many=True).data, status=status.HTTP_201_CREATED)


class PromotionSubsidiesView(APIView):
    """Per-campaign promotion settlement: platform-funded discounts on settled sub-orders, per store."""

    permission_classes = [IsOperator]

    @extend_schema(responses=PromotionSubsidySerializer(many=True))
    def get(self, request):
        return Response(PromotionSubsidySerializer(statements.campaign_subsidies(), many=True).data)


class ReturnInsuranceView(APIView):
    """运费险: return postage the platform refunded to shoppers, per store (platform-funded)."""

    permission_classes = [IsOperator]

    @extend_schema(responses=ReturnInsuranceSerializer(many=True))
    def get(self, request):
        return Response(ReturnInsuranceSerializer(statements.return_insurance(), many=True).data)
