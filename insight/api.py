"""Insight API: merchant analytics (/api/v1/seller/analytics/), recommendations, the tracking opt-out."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from insight import basket, selectors, services, todo
from insight import serializers as s
from insight.analytics import figures
from insight.recs import serving
from marketplace.api import DomainError


class SellerAnalyticsView(APIView):
    """Daily (or weekly / monthly) figures of one of your stores, or of all of them. Definitions: docs/INSIGHT.md."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("store", str, description="Store id; omit or 'all' for all your stores"),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
            OpenApiParameter("grain", str, enum=list(figures.GRAINS)),
        ],
        responses=s.AnalyticsSerializer,
    )
    def get(self, request):
        store_ids = selectors.analytics_store_ids(request.user, request.query_params.get("store"))
        first, last = figures.parse_range(request.query_params.get("from"), request.query_params.get("to"))
        grain = request.query_params.get("grain") or "day"
        rows = figures.series(store_ids, first, last, grain)
        data = {"stores": store_ids, "from_date": first, "to_date": last, "grain": grain, "rows": rows,
                "totals": {**figures.totals(rows), "date": first}}  # fmt: skip
        return Response(s.AnalyticsSerializer(data).data)


class RecommendationsView(APIView):
    """猜你喜欢 (context=home), 看了又看 / 买了又买 (context=product&product=<id>), cart recommendations."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("context", str, enum=list(serving.CONTEXTS)),
            OpenApiParameter("product", int, description="The product (context=product)"),
            OpenApiParameter("limit", int),
        ],
        responses=s.RecommendationsSerializer,
    )
    def get(self, request):
        context = request.query_params.get("context") or "home"
        if context not in serving.CONTEXTS:
            raise DomainError(_("context must be home, product or cart."), code="invalid_context")
        product_id = None
        if context == "product":
            try:
                product_id = int(request.query_params.get("product", ""))
            except ValueError:
                raise DomainError(_("Give product=<id> for context=product."), code="product_required") from None
            if not 0 < product_id < 2**63:
                raise Http404
        try:
            limit = max(1, min(int(request.query_params.get("limit") or 12), 48))
        except ValueError:
            raise DomainError(_("limit must be a number."), code="invalid_limit") from None
        products = serving.recommend(
            context,
            user=request.user,
            product_id=product_id,
            cart_product_ids=serving.cart_products(request.user, request.session.session_key)
            if context == "cart"
            else (),
            limit=limit,
        )
        return Response(s.RecommendationsSerializer({"context": context, "results": products}).data)


class TrackingView(APIView):
    """Whether your browsing is recorded (product views, searches, cart adds, live visits) for recommendations."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.TrackingSerializer)
    def get(self, request):
        return Response({"opted_out": selectors.opted_out(request.user)})

    @extend_schema(request=s.TrackingSerializer, responses=s.TrackingSerializer)
    def put(self, request):
        data = s.TrackingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_opt_out(request.user, data.validated_data["opted_out"])
        return Response({"opted_out": selectors.opted_out(request.user)})


class BasketFillView(APIView):
    """凑单: for each threshold the cart is short of, products from the participating stores that close the gap
    with the least overspend, each priced with the cart by the promotions engine."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.BasketGapSerializer(many=True))
    def get(self, request):
        return Response(s.BasketGapSerializer(basket.gaps_for_request(request), many=True).data)


class SellerTodoView(APIView):
    """The workbench to-do board: counts of what needs doing in one of your stores (or all of them)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("store", str, description="Store id; omit or 'all'")],
                   responses=s.TodoItemSerializer(many=True))  # fmt: skip
    def get(self, request):
        store_ids = selectors.analytics_store_ids(request.user, request.query_params.get("store"))
        return Response(s.TodoItemSerializer(todo.board(store_ids), many=True).data)


class SellerForecastView(APIView):
    """Demand forecast per SKU and location with the suggested stock-up (next 30 days, or a chosen campaign)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("store", str, description="Store id; omit or 'all'"),
            OpenApiParameter("lead", int, description="Lead time in days (1-30, default 7)"),
            OpenApiParameter("service", float, description="Service level (0.5-0.999, default 0.95)"),
            OpenApiParameter("campaign", int, description="An upcoming campaign: forecast over its days"),
        ],
        responses=s.ForecastRowSerializer(many=True),
    )
    def get(self, request):
        store_ids = selectors.analytics_store_ids(request.user, request.query_params.get("store"))
        rows = selectors.forecast_rows(store_ids, request.query_params)["rows"]
        return Response(s.ForecastRowSerializer([
            {"sku_id": row["sku"].pk, "sku_code": row["sku"].code, "outlet_id": row["outlet_id"],
             "forecast_units": row["next_30"], "daily": row["daily"], "stock": row["stock"],
             "lead_demand": row["lead_demand"], "safety_stock": row["safety_stock"], "suggested": row["suggested"]}
            for row in rows if row["sku"] is not None
        ], many=True).data)  # fmt: skip
