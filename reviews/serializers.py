"""API shapes of reviews. Input is checked by reviews.services; these describe it for the schema."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.models import Answer, Question, Review


class DSRScoresSerializer(serializers.Serializer):
    description = serializers.IntegerField(min_value=1, max_value=5, help_text="描述相符")
    service = serializers.IntegerField(min_value=1, max_value=5, help_text="服务态度")
    logistics = serializers.IntegerField(min_value=1, max_value=5, help_text="物流服务")


class ReviewCreateSerializer(serializers.Serializer):
    """JSON, or multipart with ``photos`` files and ``dsr`` as a JSON string (or dsr_description/... fields)."""

    line = serializers.IntegerField(help_text="Order line id (yours, received)")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    dsr = DSRScoresSerializer()
    anonymous = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=6)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)


class HideSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(default=True)
    reason = serializers.CharField(max_length=300)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    at = serializers.DateTimeField()


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    dsr = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    followup = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()
    sku_label = serializers.CharField(source="line.sku_label", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "line", "product", "store", "rating", "text", "anonymous", "author", "sku_label", "dsr",
                  "photos", "created_at", "followup", "reply"]  # fmt: skip

    def get_author(self, review) -> str:
        return review.author_name()

    @extend_schema_field(DSRScoresSerializer)
    def get_dsr(self, review) -> dict:
        return {
            "description": review.dsr_description,
            "service": review.dsr_service,
            "logistics": review.dsr_logistics,
        }

    def get_photos(self, review) -> list[str]:
        return [photo.image.url for photo in review.photos.all()]

    @extend_schema_field(NoteSerializer(allow_null=True))
    def get_followup(self, review) -> dict | None:
        return {"text": review.followup_text, "at": review.followup_at} if review.followup_at else None

    @extend_schema_field(NoteSerializer(allow_null=True))
    def get_reply(self, review) -> dict | None:
        return {"text": review.reply_text, "at": review.reply_at} if review.reply_at else None


class ReviewSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    good_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True, help_text="Percent of 4-5 stars"
    )
    photos = serializers.IntegerField()
    good = serializers.IntegerField()
    medium = serializers.IntegerField()
    bad = serializers.IntegerField()


class PendingLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="pk")
    product = serializers.IntegerField(source="sku.product_id")
    title = serializers.CharField()
    sku_label = serializers.CharField()
    store = serializers.CharField(source="suborder.store.name")
    suborder = serializers.CharField(source="suborder.number")
    received_at = serializers.DateTimeField(source="suborder.received_at")


class AnswerSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    by_store = serializers.BooleanField(read_only=True)

    class Meta:
        model = Answer
        fields = ["id", "author", "by_store", "text", "created_at"]

    def get_author(self, answer) -> str:
        return answer.store.name if answer.store_id else Review.author_name_of(answer.author)


class QuestionSerializer(serializers.ModelSerializer):
    asker = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "product", "asker", "text", "created_at", "answers"]
        read_only_fields = ["product", "created_at"]

    def get_asker(self, question) -> str:
        return Review.author_name_of(question.asker)


class StoreDSRDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    description = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    service = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    logistics = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    count = serializers.IntegerField()


class SellerDSRSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    description = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    service = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    logistics = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    count = serializers.IntegerField()
    vertical = serializers.CharField(allow_null=True)
    vertical_average = serializers.DictField(child=serializers.FloatField(allow_null=True))
    versus_vertical = serializers.DictField(child=serializers.FloatField(), help_text="Percent above (+) / below (-)")
    unreplied = serializers.IntegerField()
    trend = StoreDSRDaySerializer(many=True)


class ExperienceRowSerializer(serializers.Serializer):
    vertical_id = serializers.IntegerField(allow_null=True)
    vertical = serializers.CharField()
    brand = serializers.CharField()
    reviews = serializers.IntegerField()
    description = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    service = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    logistics = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    good_rate = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True)
    paid_suborders = serializers.IntegerField()
    refunds = serializers.IntegerField()
    refund_rate = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True)
    instant_share = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True)
    dispute_rate = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True)
    median_ship_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    median_refund_response_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    shipments_due = serializers.IntegerField(help_text="Delivery sub-orders whose ship-by fell in the period")
    late_shipments = serializers.IntegerField(help_text="Of those, shipped after the ship-by or not shipped yet")
    late_shipment_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True
    )


class ExperienceDayRowSerializer(ExperienceRowSerializer):
    day = serializers.DateField(help_text="Calendar day in the platform's time zone")


class WorstStoreSerializer(serializers.Serializer):
    vertical = serializers.CharField()
    store = serializers.CharField()
    slug = serializers.CharField()
    brand = serializers.CharField()
    mean = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    description = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    service = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    logistics = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    count = serializers.IntegerField()


class DailyPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    dsr = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    refund_rate = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True)


class DailySeriesSerializer(serializers.Serializer):
    vertical = serializers.CharField()
    points = DailyPointSerializer(many=True)


class ExperienceSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    rows = serializers.SerializerMethodField()
    daily = serializers.SerializerMethodField()
    worst_stores = WorstStoreSerializer(many=True)
    per_day = serializers.SerializerMethodField()

    @extend_schema_field(ExperienceRowSerializer(many=True))
    def get_rows(self, report) -> list:
        return ExperienceRowSerializer([row.as_dict() for row in report.rows], many=True).data

    @extend_schema_field(ExperienceDayRowSerializer(many=True))
    def get_per_day(self, report) -> list:
        """The same figures per vertical, brand and day over the period, newest day first."""
        return ExperienceDayRowSerializer([row.as_dict() for row in report.per_day], many=True).data

    @extend_schema_field(DailySeriesSerializer(many=True))
    def get_daily(self, report) -> list:
        return [
            {"vertical": name, "points": DailyPointSerializer(
                [{"day": day, "dsr": dsr, "refund_rate": rate} for day, dsr, rate in points], many=True).data}
            for name, points in report.daily.items()
        ]  # fmt: skip
