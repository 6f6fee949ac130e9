"""REST API of customers: a merchant's customers and segments, targeted coupon campaigns (/api/v1/seller/...),
and a shopper's follows, favourites and footprints (/api/v1/stores/<slug>/follow/, /api/v1/me/...).

Thin: customers.services decide, customers.selectors read; every merchant read starts from the stores the caller
works in (shops.permissions.stores_for), so another merchant's ids are a 404.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import filters, selectors
from customers import serializers as s
from customers.definitions import definitions
from customers.models import Customer, Footprint, ProductFavourite, Segment, StoreFollow, TargetedCampaign
from customers.services import follows, footprints, segments, targeting
from marketplace.api import DomainError
from shops.models import Product, Store
from shops.permissions import Capability, can

MERCHANT_PARAM = OpenApiParameter(
    "merchant", int, required=False, description="Merchant id, for staff of several merchants (default: the first)."
)
LIST_PARAMS = [
    OpenApiParameter("segment", str, enum=Segment.values, required=False),
    OpenApiParameter("q", str, required=False, description="Search: username, display name, phone ending."),
    OpenApiParameter("sort", str, enum=list(filters.SORTS), required=False),
    OpenApiParameter("store", int, required=False, description="Only customers who bought at this store."),
    OpenApiParameter("min_spend", str, required=False),
    OpenApiParameter("max_spend", str, required=False),
    OpenApiParameter("min_orders", int, required=False),
    OpenApiParameter("max_orders", int, required=False),
    OpenApiParameter("ordered_within_days", int, required=False),
    OpenApiParameter("no_order_for_days", int, required=False),
    MERCHANT_PARAM,
]


def clean_filter(data, allowed_stores) -> dict:
    try:
        return filters.clean(data, allowed_stores=set(allowed_stores))
    except filters.FilterError as exc:
        field, message = next(iter(exc.errors.items()))
        raise DomainError(message, code=f"invalid_{field}") from exc


class StaffView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def merchant(self):
        return selectors.merchant_for(self.request.user, self.request.query_params.get("merchant"))


# --- merchant: customers and segments ---------------------------------------------------------------------------


class CustomerListView(generics.ListAPIView):
    """The merchant's customers across all its stores of both brands: one row per shopper."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.CustomerSerializer
    filter_backends: list = []

    @extend_schema(parameters=LIST_PARAMS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Customer.objects.none()
        merchant = selectors.merchant_for(self.request.user, self.request.query_params.get("merchant"))
        cleaned = clean_filter(self.request.query_params, selectors.visible_store_ids(self.request.user, merchant))
        segments.ensure_fresh(merchant.pk)
        return selectors.customers(merchant, cleaned)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        stores = selectors.stores_named(sorted({pk for row in page for pk in row.store_ids}))
        return self.get_paginated_response(s.CustomerSerializer(page, many=True, context={"stores": stores}).data)


class CustomerDetailView(StaffView):
    """One customer with their sub-orders at this merchant's stores (only); contacts masked unless owner."""

    @extend_schema(parameters=[MERCHANT_PARAM], responses=s.CustomerDetailSerializer)
    def get(self, request, pk: int):
        merchant = self.merchant()
        customer = get_object_or_404(selectors.customers(merchant, include_followers=True), pk=pk)
        full = selectors.sees_contacts(request.user, merchant)
        context = {
            "stores": selectors.stores_named(customer.store_ids),
            "contact": {**selectors.contact(customer.shopper, full=full), "masked": not full},
            "suborders": selectors.customer_orders(
                merchant, customer.shopper_id, selectors.visible_store_ids(request.user, merchant)
            )[:100],
        }
        return Response(s.CustomerDetailSerializer(customer, context=context).data)


def overview(merchant) -> dict:
    settings = selectors.settings_of(merchant)
    counts = selectors.segment_counts(merchant)
    return {
        "merchant": merchant.pk,
        "customers": counts["customers"],
        "settings": settings,
        "segments": [
            {"segment": segment, "label": label, "definition": text, "count": counts[segment]}
            for segment, label, text in definitions(settings)
        ],
    }


class SegmentsView(StaffView):
    """Segment definitions with the merchant's parameters and counts; PUT edits the parameters (owners and
    operations staff) and recomputes."""

    @extend_schema(parameters=[MERCHANT_PARAM], responses=s.SegmentsOverviewSerializer)
    def get(self, request):
        merchant = self.merchant()
        segments.ensure_fresh(merchant.pk)
        return Response(s.SegmentsOverviewSerializer(overview(merchant)).data)

    @extend_schema(parameters=[MERCHANT_PARAM], request=s.SegmentSettingsSerializer,
                   responses=s.SegmentsOverviewSerializer)  # fmt: skip
    def put(self, request):
        merchant = self.merchant()
        require_marketing(request.user, merchant)
        data = s.SegmentSettingsSerializer(selectors.settings_of(merchant), data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        segments.save_settings(merchant.pk, data.validated_data)
        return Response(s.SegmentsOverviewSerializer(overview(merchant)).data)

    patch = put


class RecomputeView(StaffView):
    """Recompute the merchant's customers and segments now (what the nightly worker does)."""

    @extend_schema(parameters=[MERCHANT_PARAM], request=None, responses=s.RecomputeSerializer)
    def post(self, request):
        merchant = self.merchant()
        return Response({"customers": segments.recompute([merchant.pk])})


class TrendView(StaffView):
    """Daily counts per segment (one snapshot per day, by the nightly run), the last 30 days."""

    @extend_schema(parameters=[MERCHANT_PARAM], responses=s.SnapshotSerializer(many=True))
    def get(self, request):
        return Response(s.SnapshotSerializer(selectors.trend(self.merchant()), many=True).data)


def require_marketing(user, merchant) -> None:
    """Changing segments or sending coupons: staff who may manage promotions in one of the merchant's stores."""
    if not selectors.marketing_store_ids(user, merchant):
        raise DomainError(_("Your role cannot manage promotions."), code="forbidden", status_code=403)


# --- merchant: targeted coupons ---------------------------------------------------------------------------------


class CampaignListView(StaffView):
    """Targeted coupon campaigns (定向券); POST creates one (and sends it at once with "send": true)."""

    @extend_schema(parameters=[MERCHANT_PARAM], responses=s.TargetedCampaignSerializer(many=True))
    def get(self, request):
        merchant = self.merchant()
        campaigns = list(selectors.campaigns(merchant))
        reports = {campaign.pk: targeting.report(campaign) for campaign in campaigns if campaign.sent_at}
        return Response(s.TargetedCampaignSerializer(campaigns, many=True, context={"reports": reports}).data)

    @extend_schema(parameters=[MERCHANT_PARAM], request=s.TargetedCampaignInputSerializer,
                   responses={201: s.TargetedCampaignSerializer})  # fmt: skip
    def post(self, request):
        merchant = self.merchant()
        data = s.TargetedCampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        send_now = fields.pop("send")
        store = get_object_or_404(
            Store, pk=fields.pop("store"), pk__in=selectors.marketing_store_ids(request.user, merchant)
        )
        audience = clean_filter({**fields.pop("filters"), "segment": fields.pop("segment")}, [store.pk, *
                                selectors.visible_store_ids(request.user, merchant)])  # fmt: skip
        campaign = targeting.create(by=request.user, store=store, audience=filters.audience(audience), **fields)
        if send_now:
            targeting.send(campaign.pk)
            campaign.refresh_from_db()
        reports = {campaign.pk: targeting.report(campaign)} if campaign.sent_at else {}
        return Response(
            s.TargetedCampaignSerializer(campaign, context={"reports": reports}).data, status=status.HTTP_201_CREATED
        )


class CampaignDetailView(StaffView):
    """A campaign with its report: issued, used, orders and spend, and the uplift against the control group."""

    def campaign(self, request, pk) -> TargetedCampaign:
        return get_object_or_404(selectors.campaigns(self.merchant()), pk=pk)

    @extend_schema(parameters=[MERCHANT_PARAM], responses=s.TargetedCampaignSerializer)
    def get(self, request, pk: int):
        campaign = self.campaign(request, pk)
        reports = {campaign.pk: targeting.report(campaign)} if campaign.sent_at else {}
        return Response(s.TargetedCampaignSerializer(campaign, context={"reports": reports}).data)


class CampaignSendView(CampaignDetailView):
    """Choose the audience and its control group, and put the coupon in the treatment group's wallets."""

    @extend_schema(parameters=[MERCHANT_PARAM], request=None, responses=s.TargetedCampaignSerializer)
    def post(self, request, pk: int):
        campaign = self.campaign(request, pk)
        if not can(request.user, campaign.store_id, Capability.MANAGE_PROMOTIONS):
            raise DomainError(_("Your role cannot manage promotions."), code="forbidden", status_code=403)
        targeting.send(campaign.pk)
        campaign.refresh_from_db()
        return Response(s.TargetedCampaignSerializer(campaign, context={"reports": {
            campaign.pk: targeting.report(campaign)}}).data)  # fmt: skip


# --- shopper: follows, favourites, footprints -------------------------------------------------------------------


class ShopperView(APIView):
    permission_classes = [permissions.IsAuthenticated]


def follow_state(store: Store, following: bool) -> dict:
    return {"store": store.slug, "following": following, "followers": store.followers.count()}


class StoreFollowView(ShopperView):
    """Follow a store (POST: 201 the first time, 200 after) or stop following it (DELETE: 204)."""

    def store(self, slug) -> Store:
        return get_object_or_404(Store, slug=slug)

    @extend_schema(request=None, responses={201: s.FollowStateSerializer, 200: s.FollowStateSerializer})
    def post(self, request, slug: str):
        store = self.store(slug)
        _row, created = follows.follow(request.user, store)
        return Response(
            s.FollowStateSerializer(follow_state(store, True)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug: str):
        follows.unfollow(request.user, self.store(slug))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyFollowsView(generics.ListAPIView):
    """The stores the shopper follows, newest first, with each store's follower count."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.FollowSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StoreFollow.objects.none()
        return selectors.follows_of(self.request.user)


class ProductFavouriteView(ShopperView):
    """Favourite a product (POST: 201 the first time, 200 after) or remove it (DELETE: 204)."""

    @extend_schema(request=None, responses={201: s.FavouriteStateSerializer, 200: s.FavouriteStateSerializer})
    def post(self, request, pk: int):
        product = get_object_or_404(Product, pk=pk)
        _row, created = follows.favourite(request.user, product)
        return Response(
            {"product": product.pk, "favourite": True},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        follows.unfavourite(request.user, get_object_or_404(Product, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyFavouritesView(generics.ListAPIView):
    """The shopper's favourite products, newest first."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.FavouriteSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProductFavourite.objects.none()
        return selectors.favourites_of(self.request.user)


class MyFootprintsView(generics.ListAPIView):
    """Products the shopper viewed in the last 90 days, latest first; DELETE clears them all."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.FootprintSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Footprint.objects.none()
        return selectors.footprints_of(self.request.user)

    @extend_schema(request=None, responses=s.DeletedSerializer, operation_id="me_footprints_clear")
    def delete(self, request):
        return Response({"deleted": footprints.delete(request.user)})


class MyFootprintView(ShopperView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        footprint = get_object_or_404(selectors.footprints_of(request.user), pk=pk)
        footprint.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
