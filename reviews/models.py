"""Reviews of order lines (评价) with photos, follow-ups (追评) and merchant replies, operator hiding, product Q&A
(问大家) and the daily DSR history of each store.

A review carries the buyer's three store scores (DSR). The store's current DSR is derived by the worker
(reviews.dsr) into shops.StoreRating, which the shops pages and API read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Review(models.Model):
    # Once per order line: the unique constraint is what makes "not twice" hold under concurrent posts.
    line = models.OneToOneField("orders.OrderLine", on_delete=models.PROTECT, related_name="review")
    product = models.ForeignKey("shops.Product", on_delete=models.PROTECT, related_name="reviews")
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="reviews")
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("review"), max_length=500, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    dsr_description = models.PositiveSmallIntegerField(_("item as described"))
    dsr_service = models.PositiveSmallIntegerField(_("service"))
    dsr_logistics = models.PositiveSmallIntegerField(_("logistics"))
    photo_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # 追评: once, within FOLLOWUP_DAYS of the review.
    followup_text = models.TextField(_("follow-up"), max_length=500, blank=True)
    followup_at = models.DateTimeField(null=True, blank=True)
    # The store's reply, once; never editable afterwards.
    reply_text = models.TextField(_("reply"), max_length=500, blank=True)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_at = models.DateTimeField(null=True, blank=True)
    # Operators hide a review (with a logged reason, ReviewModeration); it stays stored and counted in DSR.
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(dsr_description__gte=1, dsr_description__lte=5)
                & Q(dsr_service__gte=1, dsr_service__lte=5)
                & Q(dsr_logistics__gte=1, dsr_logistics__lte=5),
                name="review_dsr_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "hidden", "-created_at"], name="review_product_newest"),
            models.Index(fields=["store", "-created_at"], name="review_store_newest"),
        ]

    def __str__(self) -> str:
        return f"review of line {self.line_id}: {self.rating}"

    @property
    def sentiment(self) -> str:
        return sentiment_of(self.rating)

    def author_name(self) -> str:
        """Anonymous reviews show a masked name (a***b); others the shopper's user name."""
        return mask_name(self.shopper.get_username()) if self.anonymous else self.shopper.get_username()

    @staticmethod
    def author_name_of(user) -> str:
        """Askers and answerers in Q&A are shown masked."""
        return mask_name(user.get_username())


def sentiment_of(rating: int) -> str:
    """好评 4-5 stars, 中评 3, 差评 1-2."""
    if rating >= 4:
        return "good"
    if rating == 3:
        return "medium"
    return "bad"


def mask_name(name: str) -> str:
    """匿名: first and last character kept, e.g. a***b."""
    if len(name) <= 1:
        return "***"
    return f"{name[0]}***{name[-1]}"


class ReviewPhoto(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reviews/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review_id", "position", "id"]

    def __str__(self) -> str:
        return self.image.name


class ReviewModeration(models.Model):
    """An operator hid or showed a review again; the reason is kept (append-only)."""

    class Action(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        SHOWN = "shown", _("Shown again")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="moderation")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} review {self.review_id}"


class Question(models.Model):
    """问大家: a shopper's question about a product."""

    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions")
    text = models.CharField(_("question"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "-created_at"], name="question_product_newest")]

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    """An answer by a past buyer of the product or by the store's staff (``store`` set)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers")
    store = models.ForeignKey("shops.Store", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("answer"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "author"], name="one_answer_per_author_per_question")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def by_store(self) -> bool:
        return self.store_id is not None


class StoreRatingDay(models.Model):
    """A store's DSR as computed at the end of a day: the workbench trend line."""

    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    description = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    service = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    logistics = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["store_id", "day"]
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="one_rating_row_per_store_day")]

    def __str__(self) -> str:
        return f"{self.store_id} {self.day}"
