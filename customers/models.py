"""A merchant's customers across all its stores (both brands), lifecycle segments and their daily counts,
targeted coupon campaigns, and what shoppers keep: followed stores, favourite products, footprints.

``Customer`` rows are derived data: customers.services.segments rebuilds them with set-based SQL from paid
sub-orders, refunds and follows (nightly, on demand, and for one shopper when their orders change).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


class Segment(models.TextChoices):
    NEW = "new", _("New customer")
    REGULAR = "regular", _("Regular")
    HIGH_VALUE = "high_value", _("High value")
    AT_RISK = "at_risk", _("At risk")
    LOST = "lost", _("Lost")
    FOLLOWER = "follower", _("Followers who never bought")


# Segment -> the boolean column of Customer that holds it.
SEGMENT_FLAGS = {
    Segment.NEW: "is_new",
    Segment.REGULAR: "is_regular",
    Segment.HIGH_VALUE: "is_high_value",
    Segment.AT_RISK: "is_at_risk",
    Segment.LOST: "is_lost",
    Segment.FOLLOWER: "is_follower_only",
}


class SegmentSettings(models.Model):
    """A merchant's segment parameters (editable in the workbench). Days count whole calendar days back from
    today (Asia/Shanghai): "in the last 30 days" includes the day 30 days ago."""

    merchant = models.OneToOneField("shops.Merchant", on_delete=models.CASCADE, related_name="segment_settings")
    new_days = models.PositiveIntegerField(
        _("new: first order within (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    regular_days = models.PositiveIntegerField(
        _("regular: window (days)"), default=180, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    regular_min_orders = models.PositiveIntegerField(
        _("regular: at least (orders)"), default=2, validators=[MinValueValidator(2), MaxValueValidator(1000)]
    )
    high_value_percent = models.PositiveIntegerField(
        _("high value: top (%) by spend"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    at_risk_days = models.PositiveIntegerField(
        _("at risk: no order for (days)"), default=90, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    lost_days = models.PositiveIntegerField(
        _("lost: no order for (days)"), default=180, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    # Set by the last full recompute: the spend from which a customer is high value.
    high_value_min_spend = MoneyField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(lost_days__gt=F("at_risk_days")), name="segment_lost_after_at_risk"),
            models.CheckConstraint(condition=Q(regular_min_orders__gte=2), name="segment_regular_min_orders_ge_2"),
            models.CheckConstraint(
                condition=Q(high_value_percent__gte=1, high_value_percent__lte=100), name="segment_high_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"segments of {self.merchant}"


class Customer(models.Model):
    """One shopper as a customer of one merchant: figures over the merchant's stores of both brands."""

    # No index of its own on merchant: the unique (merchant, shopper) index leads with it.
    merchant = models.ForeignKey("shops.Merchant", on_delete=models.CASCADE, related_name="customers", db_index=False)
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_of")
    first_order_at = models.DateTimeField(null=True, blank=True)
    last_order_at = models.DateTimeField(null=True, blank=True)
    orders = models.PositiveIntegerField(default=0)  # paid sub-orders at the merchant's stores
    recent_orders = models.PositiveIntegerField(default=0)  # within the regular window when computed
    units = models.PositiveIntegerField(default=0)
    gross = MoneyField(default=Decimal("0.00"))  # what they paid
    refunded = MoneyField(default=Decimal("0.00"))
    spend = MoneyField(default=Decimal("0.00"))  # gross - refunded
    refunded_orders = models.PositiveIntegerField(default=0)
    store_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    is_follower = models.BooleanField(default=False)
    is_new = models.BooleanField(default=False)
    is_regular = models.BooleanField(default=False)
    is_high_value = models.BooleanField(default=False)
    is_at_risk = models.BooleanField(default=False)
    is_lost = models.BooleanField(default=False)
    is_follower_only = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "shopper"], name="one_customer_per_merchant")]
        indexes = [
            models.Index(F("merchant"), F("spend").desc(), name="customer_by_spend"),
            models.Index(F("merchant"), F("last_order_at").desc(nulls_last=True), name="customer_by_recency"),
        ]

    def __str__(self) -> str:
        return f"{self.shopper} @ {self.merchant}"

    @property
    def average_order_value(self) -> Decimal:
        return (self.spend / self.orders).quantize(Decimal("0.01")) if self.orders else Decimal("0.00")

    @property
    def refund_rate(self) -> Decimal:
        """Share of their orders with money refunded, 0..1."""
        return (Decimal(self.refunded_orders) / self.orders).quantize(Decimal("0.0001")) if self.orders else Decimal(0)

    @property
    def segments(self) -> list[str]:
        return [segment.value for segment, flag in SEGMENT_FLAGS.items() if getattr(self, flag)]


class SegmentSnapshot(models.Model):
    """Counts per segment of one merchant on one day (the trend chart); the last recompute of the day wins."""

    merchant = models.ForeignKey("shops.Merchant", on_delete=models.CASCADE, related_name="segment_snapshots")
    day = models.DateField()
    customers = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    regular = models.PositiveIntegerField(default=0)
    high_value = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)
    follower = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["merchant_id", "day"]
        constraints = [models.UniqueConstraint(fields=["merchant", "day"], name="one_snapshot_per_merchant_day")]

    def __str__(self) -> str:
        return f"{self.merchant} {self.day}"


class StoreFollow(models.Model):
    """A shopper follows a store (关注店铺). ``store.followers.count()`` is the store's follower count."""

    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_follows")
    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shopper", "store"], name="follow_store_once")]

    def __str__(self) -> str:
        return f"{self.shopper} follows {self.store}"


class ProductFavourite(models.Model):
    """A shopper's favourite product (收藏)."""

    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="favourited_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shopper", "product"], name="favourite_product_once")]

    def __str__(self) -> str:
        return f"{self.shopper} likes {self.product_id}"


class Footprint(models.Model):
    """A product a signed-in shopper viewed (足迹): one row per product, the last view wins. Kept 90 days."""

    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="footprints")
    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-viewed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shopper", "product"], name="one_footprint_per_product")]
        indexes = [models.Index(fields=["shopper", "-viewed_at"]), models.Index(fields=["viewed_at"])]

    def __str__(self) -> str:
        return f"{self.shopper} saw {self.product_id}"


class TargetedCampaign(models.Model):
    """A store coupon (定向券) sent to a segment of the merchant's customers, with a random held-out control group.

    The coupon is an ordinary promotions CouponTemplate (channel "targeted": not in the coupon center) of one of
    the merchant's stores; ``budget`` is its total quantity. Recipients are chosen when the campaign is sent.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    merchant = models.ForeignKey("shops.Merchant", on_delete=models.CASCADE, related_name="targeted_campaigns")
    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="targeted_campaigns")
    template = models.OneToOneField(
        "promotions.CouponTemplate", on_delete=models.PROTECT, related_name="targeted_campaign"
    )
    name = models.CharField(_("name"), max_length=120)
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices, blank=True)
    # A saved custom filter (customers.selectors.CUSTOMER_FILTERS): {"min_spend": "100", "min_orders": 2, ...}
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    control_percent = models.PositiveIntegerField(
        _("control group (%)"), default=10, validators=[MinValueValidator(0), MaxValueValidator(50)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    audience = models.PositiveIntegerField(default=0)
    control = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(control_percent__lte=50), name="targeted_control_le_50"),
            models.CheckConstraint(condition=~Q(segment="") | ~Q(filters={}), name="targeted_has_audience"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignRecipient(models.Model):
    """One shopper of a campaign's audience: in the treatment group (sent the coupon) or the control group."""

    class Group(models.TextChoices):
        TREATMENT = "treatment", _("Sent the coupon")
        CONTROL = "control", _("Control group")

    campaign = models.ForeignKey(TargetedCampaign, on_delete=models.CASCADE, related_name="recipients")
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=10, choices=Group.choices)
    coupon_id = models.BigIntegerField(null=True, blank=True)  # promotions.IssuedCoupon, once issued

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "shopper"], name="one_recipient_per_campaign")]
        indexes = [models.Index(fields=["campaign", "group"])]

    def __str__(self) -> str:
        return f"{self.shopper_id} in {self.campaign_id} ({self.group})"
