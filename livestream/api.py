"""The livestream API. Public: streams list/detail and claiming a dropped coupon. Hosts (/live/host/...): a store's
staff with manage_livestream manage its streams; a creator manages their own; anything else is 404.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from livestream import selectors, services
from livestream.models import FeaturedProduct, Stream
from livestream.serializers import (
    MAX_ID,
    ClaimResultSerializer,
    ClaimSerializer,
    CouponDropSerializer,
    CouponDropWriteSerializer,
    CreatorPolicySerializer,
    CreatorSerializer,
    EndStreamSerializer,
    FeaturedProductSerializer,
    FeatureProductSerializer,
    LivePriceSerializer,
    MetricsSerializer,
    MuteSerializer,
    PinSerializer,
    ReorderSerializer,
    StreamDetailSerializer,
    StreamSerializer,
    StreamUpdateSerializer,
    StreamWriteSerializer,
)
from marketplace.api import DomainError, ObjectFirstMixin
from shops.permissions import Capability, stores_for


class PublicStreamViewSet(viewsets.ReadOnlyModelViewSet):
    """Live, upcoming and ended streams (anyone may watch)."""

    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        queryset = selectors.public_streams().order_by("-scheduled_at", "-id")
        state = self.request.query_params.get("state")
        if state in Stream.State.values:
            queryset = queryset.filter(state=state)
        return queryset

    def get_serializer_class(self):
        return StreamDetailSerializer if self.action == "retrieve" else StreamSerializer

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=Stream.State.values, required=False)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ClaimSerializer, responses={201: ClaimResultSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def claim(self, request, pk=None):
        """Claim a coupon dropped in the room (while the stream is live, first come first served)."""
        data = _valid(ClaimSerializer, request)
        issued = services.claim_drop(_int_pk(pk), data["drop"], request.user)
        return Response({"coupon": issued.pk, "drop": data["drop"]}, status=status.HTTP_201_CREATED)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _int_pk(pk) -> int:
    try:
        number = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 1 <= number <= MAX_ID:
        raise Http404
    return number


class HostStreamViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Streams the caller hosts (as store staff with manage_livestream, or as a creator)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = StreamDetailSerializer

    def get_queryset(self):
        return services.managed_streams(self.request.user).select_related("store", "creator").order_by("-scheduled_at")

    def get_object(self) -> Stream:
        return services.managed_stream(self.request.user, _int_pk(self.kwargs["pk"]))

    @extend_schema(request=StreamWriteSerializer, responses={201: StreamDetailSerializer})
    def create(self, request):
        data = _valid(StreamWriteSerializer, request)
        store = creator = None
        if data.get("store"):
            store = get_object_or_404(stores_for(request.user, Capability.MANAGE_LIVESTREAM), pk=data["store"])
        else:
            creator = services.creator_for(request.user)
            if creator is None:
                raise DomainError(_("Give a store id, or create your creator profile first."), code="host_required")
        stream = services.create_stream(
            by=request.user,
            title=data["title"],
            description=data["description"],
            scheduled_at=data["scheduled_at"],
            playback_url=data["playback_url"],
            store=store,
            creator=creator,
        )
        return Response(StreamDetailSerializer(stream).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StreamUpdateSerializer, responses={200: StreamDetailSerializer})
    def partial_update(self, request, pk=None):
        stream = services.update_stream(self.get_object(), **_valid(StreamUpdateSerializer, request))
        return Response(StreamDetailSerializer(stream).data)

    def perform_destroy(self, instance):
        services.delete_stream(instance)

    @extend_schema(request=None, responses={200: StreamDetailSerializer})
    @action(detail=True, methods=["post"], url_path="go-live")
    def go_live(self, request, pk=None):
        stream = services.go_live(self.get_object(), by=request.user)
        return Response(StreamDetailSerializer(stream).data)

    @extend_schema(request=EndStreamSerializer, responses={200: StreamDetailSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        data = _valid(EndStreamSerializer, request)
        stream = services.end_stream(self.get_object(), by=request.user, replay_url=data.get("replay_url") or None)
        return Response(StreamDetailSerializer(stream).data)

    @extend_schema(request=PinSerializer, responses={200: StreamDetailSerializer})
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        stream = services.pin(self.get_object(), _valid(PinSerializer, request)["featured"])
        return Response(StreamDetailSerializer(stream).data)

    @extend_schema(request=MuteSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def mute(self, request, pk=None):
        data = _valid(MuteSerializer, request)
        services.mute(self.get_object(), data["user"], by=request.user, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MuteSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def unmute(self, request, pk=None):
        services.unmute(self.get_object(), _valid(MuteSerializer, request)["user"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: MetricsSerializer})
    @action(detail=True, methods=["get"])
    def metrics(self, request, pk=None):
        return Response(selectors.metrics(self.get_object()).as_dict())

    @extend_schema(methods=["get"], responses={200: FeaturedProductSerializer(many=True)})
    @extend_schema(methods=["post"], request=FeatureProductSerializer, responses={201: FeaturedProductSerializer})
    @action(detail=True, methods=["get", "post"])
    def products(self, request, pk=None):
        stream = self.get_object()
        if request.method == "GET":
            return Response(FeaturedProductSerializer(selectors.featured_products(stream), many=True).data)
        data = _valid(FeatureProductSerializer, request)
        featured = services.feature_product(stream, data["product"], live_price=data.get("live_price"))
        return Response(FeaturedProductSerializer(featured).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReorderSerializer, responses={200: FeaturedProductSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="products/reorder")
    def reorder(self, request, pk=None):
        stream = self.get_object()
        services.reorder_featured(stream, _valid(ReorderSerializer, request)["order"])
        return Response(FeaturedProductSerializer(selectors.featured_products(stream), many=True).data)

    @extend_schema(methods=["get"], responses={200: CouponDropSerializer(many=True)})
    @extend_schema(methods=["post"], request=CouponDropWriteSerializer, responses={201: CouponDropSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def coupons(self, request, pk=None):
        stream = self.get_object()
        if request.method == "GET":
            return Response(CouponDropSerializer(stream.coupon_drops.select_related("template"), many=True).data)
        drop = services.drop_coupon(stream, by=request.user, **_valid(CouponDropWriteSerializer, request))
        return Response(CouponDropSerializer(drop).data, status=status.HTTP_201_CREATED)


class HostFeaturedProductView(APIView):
    """Change a featured product's live price, or take it out of the stream."""

    permission_classes = [permissions.IsAuthenticated]

    def _featured(self, request, stream_id, featured_id) -> tuple[Stream, FeaturedProduct]:
        stream = services.managed_stream(request.user, _int_pk(stream_id))
        return stream, get_object_or_404(stream.featured.select_related("product"), pk=_int_pk(featured_id))

    @extend_schema(request=LivePriceSerializer, responses={200: FeaturedProductSerializer})
    def patch(self, request, stream_id, featured_id):
        stream, featured = self._featured(request, stream_id, featured_id)
        with transaction.atomic():
            featured = services.set_live_price(
                featured, _valid(LivePriceSerializer, request)["live_price"], stream=stream
            )
        return Response(FeaturedProductSerializer(featured).data)

    @extend_schema(responses={204: None})
    def delete(self, request, stream_id, featured_id):
        stream, featured = self._featured(request, stream_id, featured_id)
        services.remove_featured(stream, featured.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CreatorProfileView(APIView):
    """The caller's creator (达人) profile: PUT creates or updates it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: CreatorSerializer})
    def get(self, request):
        creator = services.creator_for(request.user)
        if creator is None:
            raise Http404("No creator profile yet.")
        return Response(CreatorSerializer(creator).data)

    @extend_schema(request=CreatorSerializer, responses={200: CreatorSerializer})
    def put(self, request):
        data = _valid(CreatorSerializer, request)
        creator = services.save_creator_profile(
            request.user, display_name=data["display_name"], bio=data.get("bio", "")
        )
        return Response(CreatorSerializer(creator).data)


class CreatorPolicyView(APIView):
    """Whether creators may feature a store's products, and the commission the store pays them."""

    permission_classes = [permissions.IsAuthenticated]

    def _store(self, request, store_id):
        return get_object_or_404(stores_for(request.user, Capability.MANAGE_LIVESTREAM), pk=_int_pk(store_id))

    @extend_schema(responses={200: CreatorPolicySerializer})
    def get(self, request, store_id):
        return Response(CreatorPolicySerializer(services.policy_for(self._store(request, store_id))).data)

    @extend_schema(request=CreatorPolicySerializer, responses={200: CreatorPolicySerializer})
    def put(self, request, store_id):
        store = self._store(request, store_id)
        data = _valid(CreatorPolicySerializer, request)
        policy = services.set_creator_policy(
            store, allows_creators=data["allows_creators"], commission_rate=data["commission_rate"], by=request.user
        )
        return Response(CreatorPolicySerializer(policy).data)
