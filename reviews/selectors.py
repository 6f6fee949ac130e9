"""Reads: a product's reviews and their summary, what a shopper still has to review, a store's reviews, Q&A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from orders.models import OrderLine, SubOrder
from refunds.models import RefundLine, RefundRequest
from reviews import rules
from reviews.models import Answer, Question, Review, StoreRatingDay

FILTERS = {
    "photos": Q(photo_count__gt=0),
    "good": Q(rating__gte=4),
    "medium": Q(rating=3),
    "bad": Q(rating__lte=2),
}


def visible_reviews():
    return (
        Review.objects.filter(hidden=False)
        .select_related("shopper", "line")
        .prefetch_related("photos")
        .order_by("-created_at", "-id")
    )


def product_reviews(product_id: int, show: str | None = None):
    reviews = visible_reviews().filter(product_id=product_id)
    if show in FILTERS:
        reviews = reviews.filter(FILTERS[show])
    return reviews


@dataclass(frozen=True)
class ReviewSummary:
    total: int
    average: Decimal | None
    photos: int
    good: int
    medium: int
    bad: int

    @property
    def good_rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.good) * 100 / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def product_summary(product_id: int) -> ReviewSummary:
    row = Review.objects.filter(product_id=product_id, hidden=False).aggregate(
        total=Count("id"),
        stars=Sum("rating"),
        **{name: Count("id", filter=condition) for name, condition in FILTERS.items()},
    )
    average = (
        (Decimal(row["stars"]) / row["total"]).quantize(rules.TWO_PLACES, rounding=ROUND_HALF_UP)
        if row["total"]
        else None
    )
    return ReviewSummary(row["total"], average, row["photos"], row["good"], row["medium"], row["bad"])


def lines_to_review(shopper, now: datetime.datetime | None = None):
    """待评价: received lines of the shopper, inside the window, not reviewed, not refunded."""
    now = now or timezone.now()
    refunded = RefundLine.objects.filter(order_line=OuterRef("pk"), request__status=RefundRequest.Status.REFUNDED)
    return (
        OrderLine.objects.filter(
            suborder__order__shopper=shopper,
            suborder__state__in=(SubOrder.State.RECEIVED, SubOrder.State.COMPLETED),
            suborder__received_at__gte=now - rules.REVIEW_WINDOW,
            review__isnull=True,
        )
        .exclude(Exists(refunded))
        .select_related("suborder__store", "suborder__order", "sku__product")
        .order_by("-suborder__received_at", "id")
    )


def shopper_reviews(shopper):
    return (
        Review.objects.filter(shopper=shopper)
        .select_related("shopper", "line", "product", "store")
        .prefetch_related("photos")
        .order_by("-created_at", "-id")
    )


def store_reviews(store_ids, show: str | None = None):
    reviews = (
        Review.objects.filter(store_id__in=store_ids)
        .select_related("shopper", "line", "product")
        .prefetch_related("photos")
        .order_by("-created_at", "-id")
    )
    if show == "unreplied":
        reviews = reviews.filter(reply_at__isnull=True)
    elif show in FILTERS:
        reviews = reviews.filter(FILTERS[show])
    return reviews


def rating_trend(store_id: int, days: int = 30) -> list[StoreRatingDay]:
    since = timezone.localdate() - datetime.timedelta(days=days)
    return list(StoreRatingDay.objects.filter(store_id=store_id, day__gt=since).order_by("day"))


def product_questions(product_id: int):
    return (
        Question.objects.filter(product_id=product_id)
        .select_related("asker")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("author", "store")))
        .order_by("-created_at", "-id")
    )


def product_questions_all():
    return Question.objects.all()
