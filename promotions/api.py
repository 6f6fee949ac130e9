"""REST API: coupon center and my coupons (shoppers), campaigns and platform coupons (operators), store promotions,
store coupons and campaign enrollment (merchants, scoped to their own stores), and the quote endpoint."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from marketplace.api import DomainError
from promotions import selectors
from promotions.adapter import CartItemInput, preview_cart, price_cart
from promotions.models import Campaign, CouponTemplate, IssuedCoupon, StorePromotion
from promotions.serializers import (
    CampaignSerializer,
    CartQuoteRequestSerializer,
    CouponCenterSerializer,
    CouponClaimSerializer,
    CouponTemplateSerializer,
    CouponTemplateWriteSerializer,
    IssuedCouponSerializer,
    PricedCartSerializer,
    StoreCampaignSerializer,
    StorePromotionSerializer,
)
from promotions.services import campaigns, claims, coupons, store_promotions
from shops.models import SKU
from shops.permissions import Capability, stores_for

# ---------------------------------------------------------------------------------------------------------------
# Shoppers


class CouponCenterViewSet(viewsets.GenericViewSet):
    """领券中心: the coupons anyone can see and logged-in shoppers can claim."""

    lookup_value_regex = r"\d+"

    serializer_class = CouponCenterSerializer
    permission_classes = [AllowAny]
    pagination_class = None  # a short list, shown whole
    queryset = CouponTemplate.objects.none()

    @extend_schema(
        summary="Coupons claimable in the coupon center",
        parameters=[OpenApiParameter("store", int, description="Only this store's coupons")],
        responses=CouponCenterSerializer(many=True),
    )
    def list(self, request):
        store = request.query_params.get("store")
        if store not in (None, "") and not (store.isdigit() and int(store) < 2**63):
            raise DomainError(_("store must be a store id."), code="invalid_store")
        templates = selectors.coupon_center(request.user, store_id=int(store) if store else None)
        return Response(CouponCenterSerializer(templates, many=True).data)

    @extend_schema(
        summary="Claim a coupon",
        request=CouponClaimSerializer,
        responses={201: IssuedCouponSerializer},
        description="Live-stream coupons need the `live_stream_id` of their room. 409 when sold out or at the limit.",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def claim(self, request, pk=None):
        template = get_object_or_404(CouponTemplate.objects.filter(is_active=True), pk=pk)
        body = CouponClaimSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        coupon = claims.claim(request.user, template, live_stream_id=body.validated_data.get("live_stream_id"))
        return Response(IssuedCouponSerializer(coupon).data, status=status.HTTP_201_CREATED)


class MyCouponsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The coupons the logged-in shopper holds."""

    lookup_value_regex = r"\d+"

    serializer_class = IssuedCouponSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IssuedCoupon.objects.none()
        if self.action == "retrieve":
            return IssuedCoupon.objects.filter(shopper=self.request.user).select_related("template")
        tab = self.request.query_params.get("status", "usable")
        if tab not in selectors.MY_COUPON_TABS:
            raise DomainError(_("status is one of usable, used, expired."), code="invalid_status")
        return selectors.my_coupons(self.request.user, tab)

    @extend_schema(
        summary="My coupons",
        parameters=[OpenApiParameter("status", str, enum=list(selectors.MY_COUPON_TABS), default="usable")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class QuoteView(APIView):
    """Price a cart described by SKU ids and quantities (prices from the database, never the client)."""

    permission_classes = [AllowAny]

    @extend_schema(summary="Price a cart", request=CartQuoteRequestSerializer, responses=PricedCartSerializer)
    def post(self, request):
        body = CartQuoteRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        items = cart_items(data["items"])
        operator_extras = {key for key in ("campaign", "coupon_template", "at") if key in data}
        if operator_extras:
            if not (request.user.is_authenticated and request.user.is_operator):
                raise DomainError(_("Only operators can preview campaigns, coupon templates or other times."),
                                  code="operators_only", status_code=403)  # fmt: skip
            priced = preview_cart(
                items=items,
                at=data.get("at"),
                campaign=get_object_or_404(Campaign, pk=data["campaign"]) if "campaign" in data else None,
                template=get_object_or_404(CouponTemplate, pk=data["coupon_template"])
                if "coupon_template" in data
                else None,
            )
        else:
            shopper = request.user if request.user.is_authenticated else None
            priced = price_cart(shopper=shopper, items=items, coupon_choice=data.get("coupon_choice", "best"))
        return Response(PricedCartSerializer(priced).data)


def cart_items(rows) -> list[CartItemInput]:
    ids = [row["sku"] for row in rows]
    if len(set(ids)) != len(ids):
        raise DomainError(_("List each SKU once."), code="duplicate_sku")
    skus = SKU.objects.filter(pk__in=ids, is_active=True).select_related("store")
    by_id = {sku.pk: sku for sku in skus}
    missing = [pk for pk in ids if pk not in by_id]
    if missing:
        raise DomainError(_("Unknown SKU: %(ids)s") % {"ids": ", ".join(map(str, missing))}, code="unknown_sku")
    return [CartItemInput(key=f"sku-{row['sku']}", sku=by_id[row["sku"]], quantity=row["quantity"]) for row in rows]


# ---------------------------------------------------------------------------------------------------------------
# Operators


def merged(instance, fields, validated: dict) -> dict:
    """PATCH: the instance's current values overlaid with what was sent, so the services see a whole object."""
    data = {field: getattr(instance, field) for field in fields} if instance else {}
    data.update(validated)
    return data


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cross-store campaigns (operators). Deactivate with ``is_active: false``; campaigns are never deleted."""

    lookup_value_regex = r"\d+"

    serializer_class = CampaignSerializer
    permission_classes = [IsOperator]
    queryset = Campaign.objects.all()

    def perform_create(self, serializer):
        serializer.instance = campaigns.save_campaign(by=self.request.user, data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        data = merged(instance, campaigns.CAMPAIGN_FIELDS, serializer.validated_data)
        serializer.instance = campaigns.save_campaign(by=self.request.user, data=data, instance=instance)


COUPON_FIELDS = (
    "kind", "name", "off", "threshold", "brands", "claim_from", "claim_until", "valid_from", "valid_to",
    "valid_days", "total_quantity", "per_shopper_limit", "channel", "live_stream_id", "is_active",
)  # fmt: skip


class PlatformCouponViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Platform coupons (optionally restricted to brands/categories/stores) and red packets (operators)."""

    lookup_value_regex = r"\d+"

    permission_classes = [IsOperator]

    def get_queryset(self):
        return selectors.platform_coupons()

    def get_serializer_class(self):
        return (
            CouponTemplateWriteSerializer
            if self.action in ("create", "update", "partial_update")
            else (CouponTemplateSerializer)
        )

    @extend_schema(request=CouponTemplateWriteSerializer, responses={201: CouponTemplateSerializer})
    def create(self, request, *args, **kwargs):
        body = CouponTemplateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        template = coupons.save_coupon_template(by=request.user, data=dict(body.validated_data))
        return Response(CouponTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CouponTemplateWriteSerializer, responses=CouponTemplateSerializer)
    def partial_update(self, request, *args, **kwargs):
        # Declared here too: without it the schema took the write serializer for PATCH's answer.
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=CouponTemplateWriteSerializer, responses=CouponTemplateSerializer)
    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        body = CouponTemplateWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        data = merged(instance, COUPON_FIELDS, body.validated_data)
        template = coupons.save_coupon_template(by=request.user, data=data, instance=instance)
        return Response(CouponTemplateSerializer(template).data)


# ---------------------------------------------------------------------------------------------------------------
# Merchants: everything under /stores/{store_id}/, where the store must be one the user manages promotions for


class StoreScopedMixin:
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Another merchant's store is a 404 before anything else, so a request body is never even read.
        if not getattr(self, "swagger_fake_view", False):
            self.get_store()

    def get_store(self):
        if not hasattr(self, "_store"):
            stores = stores_for(self.request.user, Capability.MANAGE_PROMOTIONS)
            self._store = get_object_or_404(stores, pk=self.kwargs["store_id"])
        return self._store


class StorePromotionViewSet(
    StoreScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Item discounts, store thresholds and first-order gifts of one store (merchant)."""

    lookup_value_regex = r"\d+"

    serializer_class = StorePromotionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StorePromotion.objects.none()
        return selectors.store_promotions(self.get_store())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["skus"] = [sku.pk for sku in data.get("skus", [])]
        serializer.instance = store_promotions.save_store_promotion(store=self.get_store(), data=data)

    def perform_update(self, serializer):
        instance = serializer.instance
        fields = ("kind", "name", "valid_from", "valid_to", "exclusive", "is_active", "discount_type", "value",
                  "live_stream_id", "tiers", "every", "off", "cap", "threshold", "first_order_scope")  # fmt: skip
        data = merged(instance, fields, serializer.validated_data)
        data["skus"] = (
            [sku.pk for sku in serializer.validated_data["skus"]]
            if "skus" in serializer.validated_data
            else list(instance.skus.values_list("pk", flat=True))
        )
        serializer.instance = store_promotions.save_store_promotion(
            store=self.get_store(), data=data, instance=instance
        )


class StoreCouponViewSet(
    StoreScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Store coupons (店铺券) of one store (merchant)."""

    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CouponTemplate.objects.none()
        return selectors.store_coupons(self.get_store())

    def get_serializer_class(self):
        return (
            CouponTemplateWriteSerializer
            if self.action in ("create", "update", "partial_update")
            else (CouponTemplateSerializer)
        )

    @extend_schema(request=CouponTemplateWriteSerializer, responses={201: CouponTemplateSerializer})
    def create(self, request, *args, **kwargs):
        body = CouponTemplateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k not in ("categories", "stores", "brands")}
        template = coupons.save_coupon_template(by=request.user, data=data, store=self.get_store())
        return Response(CouponTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CouponTemplateWriteSerializer, responses=CouponTemplateSerializer)
    def partial_update(self, request, *args, **kwargs):
        # Declared here too: without it the schema took the write serializer for PATCH's answer.
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=CouponTemplateWriteSerializer, responses=CouponTemplateSerializer)
    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        body = CouponTemplateWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        sent = {k: v for k, v in body.validated_data.items() if k not in ("categories", "stores", "brands")}
        data = merged(instance, COUPON_FIELDS, sent)
        template = coupons.save_coupon_template(by=request.user, data=data, store=self.get_store(), instance=instance)
        return Response(CouponTemplateSerializer(template).data)


class StoreCampaignViewSet(StoreScopedMixin, viewsets.GenericViewSet):
    """Campaigns open to one store, and enrolling in / withdrawing from them (merchant)."""

    lookup_value_regex = r"\d+"

    serializer_class = StoreCampaignSerializer
    pagination_class = None
    queryset = Campaign.objects.none()

    @extend_schema(summary="Campaigns this store can enroll in", responses=StoreCampaignSerializer(many=True))
    def list(self, request, store_id=None):
        return Response(StoreCampaignSerializer(selectors.campaigns_for_store(self.get_store()), many=True).data)

    @extend_schema(summary="Enroll the store", request=None, responses={201: StoreCampaignSerializer})
    @action(detail=True, methods=["post"])
    def enroll(self, request, store_id=None, pk=None):
        store = self.get_store()
        campaigns.enroll(by=request.user, campaign=get_object_or_404(Campaign, pk=pk), store=store)
        return Response(self.one(store, pk), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Withdraw the store (not while the campaign runs)", request=None,
                   responses=StoreCampaignSerializer)  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request, store_id=None, pk=None):
        store = self.get_store()
        campaigns.withdraw(campaign=get_object_or_404(Campaign, pk=pk), store=store)
        return Response(self.one(store, pk))

    def one(self, store, pk):
        campaign = next((c for c in selectors.campaigns_for_store(store) if c.pk == int(pk)), None)
        if campaign is None:
            raise DomainError(_("This campaign is not open to this store."), code="not_open", status_code=404)
        return StoreCampaignSerializer(campaign).data
