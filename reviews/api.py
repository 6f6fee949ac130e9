"""REST API for reviews, Q&A and ratings. Thin: reviews.services decide, every DomainError is a 4xx JSON body."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from marketplace.api import DomainError
from orders.models import OrderLine
from reviews import experience, selectors
from reviews import serializers as s
from reviews.models import Question, Review
from reviews.services import qa
from reviews.services import reviews as review_services
from reviews.workbench import store_dsr_overview
from shops.models import Product
from shops.permissions import Capability, stores_for

SHOW_PARAM = OpenApiParameter("show", str, enum=list(selectors.FILTERS), required=False)


def _dsr_input(data) -> dict | None:
    """``dsr`` as an object (JSON), a JSON string (multipart), or three dsr_* fields (HTML forms)."""
    dsr = data.get("dsr")
    if isinstance(dsr, str):
        try:
            dsr = json.loads(dsr)
        except ValueError:
            dsr = None
    if dsr is None and "dsr_description" in data:
        dsr = {key: data.get(f"dsr_{key}") for key in review_services.DSR_KEYS}
    return dsr


def _body(request) -> dict:
    """The request body as a mapping; a JSON list or scalar is a 400, never a 500."""
    data = request.data
    if not hasattr(data, "get"):
        raise DomainError(_("Send a JSON object."), code="invalid_body")
    return data


def _text(request):
    text = _body(request).get("text")
    return text if isinstance(text, str) else None


def _truthy(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in {"1", "true", "on", "yes"})


class ReviewListCreateView(generics.ListAPIView):
    """The shopper's reviews; POST reviews one received order line (once; 15 days after receipt)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.ReviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no signed-in user
            return Review.objects.none()
        return selectors.shopper_reviews(self.request.user)

    @extend_schema(request=s.ReviewCreateSerializer, responses={201: s.ReviewSerializer})
    def post(self, request):
        data = _body(request)
        line = data.get("line")
        if isinstance(line, bool) or not str(line).isdigit():
            raise DomainError(_("Say which order line you are reviewing."), code="invalid_line")
        files = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        review = review_services.post_review(
            shopper=request.user,
            line_id=int(line),
            rating=data.get("rating"),
            text=data.get("text", ""),
            dsr=_dsr_input(data),
            anonymous=_truthy(data.get("anonymous")),
            photos=files,
        )
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class PendingLinesView(generics.ListAPIView):
    """待评价: the shopper's received lines still waiting for a review."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.PendingLineSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OrderLine.objects.none()
        return selectors.lines_to_review(self.request.user)


class FollowupView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.TextSerializer, responses=s.ReviewSerializer)
    def post(self, request, pk: int):
        review = review_services.add_followup(shopper=request.user, review_id=pk, text=_text(request))
        return Response(s.ReviewSerializer(review).data)


class ProductReviewsView(generics.ListAPIView):
    """A product's visible reviews, newest first; ``show`` = photos | good | medium | bad."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.ReviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no product in the URL
            return Review.objects.none()
        get_object_or_404(Product, pk=self.kwargs["pk"])
        return selectors.product_reviews(self.kwargs["pk"], self.request.query_params.get("show"))

    @extend_schema(parameters=[SHOW_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProductReviewSummaryView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.ReviewSummarySerializer)
    def get(self, request, pk: int):
        get_object_or_404(Product, pk=pk)
        summary = selectors.product_summary(pk)
        return Response(s.ReviewSummarySerializer({**summary.__dict__, "good_rate": summary.good_rate}).data)


class ProductQuestionsView(generics.ListAPIView):
    """问大家: questions on a product with their answers; POST asks one (signed-in shoppers)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = s.QuestionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        get_object_or_404(Product, pk=self.kwargs["pk"])
        return selectors.product_questions(self.kwargs["pk"])

    @extend_schema(request=s.TextSerializer, responses={201: s.QuestionSerializer})
    def post(self, request, pk: int):
        question = qa.ask(shopper=request.user, product_id=pk, text=_text(request))
        return Response(s.QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class AnswerView(APIView):
    """Answer a question: past buyers of the product and the store's staff only."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.TextSerializer, responses={201: s.AnswerSerializer})
    def post(self, request, pk: int):
        answer = qa.answer(user=request.user, question_id=pk, text=_text(request))
        return Response(s.AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


# --- merchant -----------------------------------------------------------------------------------------------------


class SellerReviewListView(generics.ListAPIView):
    """Reviews of the stores where the caller may reply; ``show=unreplied`` for the ones waiting for a reply."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.ReviewSerializer

    def get_queryset(self):
        stores = stores_for(self.request.user, Capability.REPLY_REVIEWS)
        return selectors.store_reviews(stores.values("pk"), self.request.query_params.get("show"))

    @extend_schema(parameters=[OpenApiParameter("show", str, enum=["unreplied", *selectors.FILTERS], required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SellerReplyView(APIView):
    """The store's one reply to a review (it cannot be edited or deleted, nor can the review)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.TextSerializer, responses=s.ReviewSerializer)
    def post(self, request, pk: int):
        review = review_services.reply(user=request.user, review_id=pk, text=_text(request))
        return Response(s.ReviewSerializer(review).data)


class SellerStoreDSRView(APIView):
    """A store's DSR, its trend (last 30 days), its vertical's average and how many reviews wait for a reply."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.SellerDSRSerializer)
    def get(self, request, store_id: int):
        store = get_object_or_404(stores_for(request.user, Capability.VIEW_STORE), pk=store_id)
        return Response(s.SellerDSRSerializer(store_dsr_overview(store)).data)


# --- operator -----------------------------------------------------------------------------------------------------


class OpsHideView(APIView):
    """Hide a review (or show it again) with a reason; every decision is logged."""

    permission_classes = [IsOperator]

    @extend_schema(request=s.HideSerializer, responses=s.ReviewSerializer)
    def post(self, request, pk: int):
        data = _body(request)
        reason = data.get("reason")
        review = review_services.set_hidden(
            operator=request.user,
            review_id=pk,
            hidden=data.get("hidden", True) not in (False, "false", "0", 0),
            reason=reason if isinstance(reason, str) else "",
        )
        return Response(s.ReviewSerializer(review).data)


class OpsExperienceView(APIView):
    """Customer experience by vertical and brand over the last ``days`` (1, 7 or 30), and per day over that period;
    the same figures as CSV at /ops/experience.csv (``?by=day`` for the per-day rows)."""

    permission_classes = [IsOperator]

    @extend_schema(
        parameters=[OpenApiParameter("days", int, enum=[1, 7, 30], required=False)],
        responses=s.ExperienceSerializer,
    )
    def get(self, request):
        days = experience.period(request.query_params.get("days"))
        report = experience.report(days)
        return Response(s.ExperienceSerializer(report).data)
