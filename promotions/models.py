"""Campaigns (operators), store promotions (merchants), coupon templates and the coupons shoppers hold.

The arithmetic lives in the pure engine (promotions/engine); these models hold what is in force and who holds
what. CHECK constraints are the backstop for the rules the services and forms validate with clear messages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField
from shops.models import SKU, Brand, Category, Store


def in_window(valid_from, valid_to, at: datetime.datetime) -> bool:
    """Both ends inclusive; a missing end is open."""
    return (valid_from is None or valid_from <= at) and (valid_to is None or at <= valid_to)


def window_check(name: str, start: str = "valid_from", end: str = "valid_to") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": F(start)}),
        name=name,
    )


class Campaign(models.Model):
    """A cross-store campaign (跨店满减) run by operators: "every X off Y" across the stores that take part.

    Stores take part by enrolling from the workbench (CampaignEnrollment) and must be of one of ``brands`` (empty:
    both). ``platform_share`` of every discount is funded by the platform, at most ``budget`` in all; ``spent`` is
    what orders have used so far (raised by services.consume_for_order with a conditional UPDATE).
    """

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    every = MoneyField(_("for every"))
    off = MoneyField(_("take off"))
    cap = MoneyField(_("at most"), null=True, blank=True, help_text=_("Largest discount per order; empty: no cap."))
    brands = ArrayField(
        models.CharField(max_length=10, choices=Brand.choices), default=list, blank=True, verbose_name=_("brands")
    )
    platform_share = models.DecimalField(_("platform share"), max_digits=3, decimal_places=2, default=Decimal("0"))
    budget = MoneyField(_("platform budget"), null=True, blank=True, help_text=_("Empty: no limit."))
    spent = MoneyField(_("spent"), default=Decimal("0.00"))
    exclusive = models.BooleanField(_("exclusive"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(every__gt=0), name="campaign_every_positive"),
            models.CheckConstraint(condition=Q(off__gt=0), name="campaign_off_positive"),
            models.CheckConstraint(condition=Q(off__lte=F("every")), name="campaign_off_not_above_every"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=F("off")), name="campaign_cap_ge_off"),
            models.CheckConstraint(
                condition=Q(platform_share__gte=0, platform_share__lte=1), name="campaign_platform_share_range"
            ),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="campaign_budget_ge_0"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="campaign_spent_ge_0"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(spent__lte=F("budget")), name="campaign_never_overspent"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="campaign_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def in_force(self, at: datetime.datetime) -> bool:
        return self.is_active and in_window(self.starts_at, self.ends_at, at)

    @property
    def remaining_budget(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spent

    def rule_label(self) -> str:
        label = _("Every ¥%(every)s off ¥%(off)s") % {"every": self.every, "off": self.off}
        if self.cap is not None:
            label += " " + _("(up to ¥%(cap)s)") % {"cap": self.cap}
        return str(label)


class CampaignEnrollment(models.Model):
    """A store taking part in a campaign (报名), from the workbench."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="enrollments")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="campaign_enrollments")
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "store"], name="one_enrollment_per_store")]

    def __str__(self) -> str:
        return f"{self.store} in {self.campaign}"


class StorePromotion(models.Model):
    """A merchant's automatic promotion in one store: item discount (lane 1), store threshold or first-order gift
    (lane 2). Fields used depend on ``kind``; services.validate_store_promotion says which."""

    class Kind(models.TextChoices):
        ITEM_DISCOUNT = "item_discount", _("Item discount")
        STORE_THRESHOLD = "store_threshold", _("Store spend threshold")
        FIRST_ORDER_GIFT = "first_order_gift", _("First-order gift")

    class FirstOrderScope(models.TextChoices):
        # The merger's point: one customer across a merchant's Taobao and Tmall stores.
        STORE = "store", _("New to this store")
        MERCHANT = "merchant", _("New to any of my stores")

    class DiscountType(models.TextChoices):
        AMOUNT_OFF = "amount_off", _("Amount off per unit")
        PERCENT_OFF = "percent_off", _("Percent off")
        FIXED_PRICE = "fixed_price", _("Fixed unit price")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="promotions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("valid until"), null=True, blank=True)
    exclusive = models.BooleanField(_("exclusive"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Item discount
    skus = models.ManyToManyField(SKU, blank=True, related_name="promotions", verbose_name=_("SKUs"))
    discount_type = models.CharField(_("discount type"), max_length=20, choices=DiscountType.choices, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Live price: in force only while that stream is live (livestream opens/closes it through services).
    live_stream_id = models.BigIntegerField(_("live stream"), null=True, blank=True, db_index=True)
    live_open = models.BooleanField(default=False)
    # Store threshold: tiers [{"threshold": "200.00", "off": "20.00"}, ...] or every/off/cap
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    every = MoneyField(_("for every"), null=True, blank=True)
    off = MoneyField(_("take off"), null=True, blank=True)
    cap = MoneyField(_("at most"), null=True, blank=True)
    # First-order gift (and its off): new to this store, or to every store of the merchant
    threshold = MoneyField(_("minimum spend"), null=True, blank=True)
    first_order_scope = models.CharField(
        _("first order means"), max_length=10, choices=FirstOrderScope.choices, default=FirstOrderScope.STORE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="storepromo_value_ge_0"),
            models.CheckConstraint(
                condition=~Q(discount_type="percent_off") | Q(value__gt=0, value__lte=100),
                name="storepromo_percent_range",
            ),
            models.CheckConstraint(condition=Q(every__isnull=True) | Q(every__gt=0), name="storepromo_every_gt_0"),
            models.CheckConstraint(condition=Q(off__isnull=True) | Q(off__gt=0), name="storepromo_off_gt_0"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gt=0), name="storepromo_cap_gt_0"),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=0), name="storepromo_threshold_ge_0"
            ),
            window_check("storepromo_window_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def in_force(self, at: datetime.datetime) -> bool:
        if not self.is_active or not in_window(self.valid_from, self.valid_to, at):
            return False
        return self.live_stream_id is None or self.live_open

    @property
    def display_name(self) -> str:
        """A live price's name is its stream's title, shown as "Live price: <title>" in the reader's language."""
        if self.live_stream_id is None:
            return self.name
        return str(_("Live price: %(title)s") % {"title": self.name})

    def rule_label(self) -> str:
        if self.kind == self.Kind.ITEM_DISCOUNT:
            if self.discount_type == self.DiscountType.PERCENT_OFF:
                return str(_("%(value)s%% off") % {"value": self.value.normalize()})
            if self.discount_type == self.DiscountType.FIXED_PRICE:
                return str(_("Now ¥%(value)s") % {"value": self.value})
            return str(_("¥%(value)s off each") % {"value": self.value})
        if self.kind == self.Kind.STORE_THRESHOLD:
            if self.tiers:
                return " / ".join(
                    str(_("¥%(threshold)s off ¥%(off)s") % {"threshold": t["threshold"], "off": t["off"]})
                    for t in self.tiers
                )
            label = str(_("Every ¥%(every)s off ¥%(off)s") % {"every": self.every, "off": self.off})
            return label + (" " + str(_("(up to ¥%(cap)s)") % {"cap": self.cap}) if self.cap else "")
        if self.first_order_scope == self.FirstOrderScope.MERCHANT:
            return str(
                _("¥%(off)s off your first order over ¥%(threshold)s at any of our stores")
                % {"off": self.off, "threshold": self.threshold}
            )
        return str(
            _("¥%(off)s off your first order over ¥%(threshold)s") % {"off": self.off, "threshold": self.threshold}
        )


class CouponTemplate(models.Model):
    """What a shopper can claim: a store coupon (店铺券), a platform coupon (平台券/品类券) or a red packet (红包)."""

    class Kind(models.TextChoices):
        STORE_COUPON = "store_coupon", _("Store coupon")
        PLATFORM_COUPON = "platform_coupon", _("Platform coupon")
        RED_PACKET = "red_packet", _("Red packet")

    class Channel(models.TextChoices):
        CENTER = "center", _("Coupon center")
        LIVE = "live", _("Live stream")
        # Put straight into chosen shoppers' wallets by a targeted campaign (customers app); never claimable.
        TARGETED = "targeted", _("Sent to chosen shoppers")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.CASCADE, related_name="coupon_templates", verbose_name=_("store")
    )
    off = MoneyField(_("face value"))
    threshold = MoneyField(_("minimum spend"), default=Decimal("0.00"))
    # Platform coupon restrictions (empty: no restriction). Categories cover their whole subtree.
    brands = ArrayField(
        models.CharField(max_length=10, choices=Brand.choices), default=list, blank=True, verbose_name=_("brands")
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name=_("categories"))
    stores = models.ManyToManyField(Store, blank=True, related_name="+", verbose_name=_("stores"))
    # Claim window (when it shows in the coupon center) and validity: absolute dates or N days after claim.
    claim_from = models.DateTimeField(_("claimable from"), null=True, blank=True)
    claim_until = models.DateTimeField(_("claimable until"), null=True, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("valid until"), null=True, blank=True)
    valid_days = models.PositiveIntegerField(_("valid for days after claim"), null=True, blank=True)
    total_quantity = models.PositiveIntegerField(_("total quantity"))
    issued_count = models.PositiveIntegerField(_("claimed"), default=0)
    per_shopper_limit = models.PositiveIntegerField(_("limit per shopper"), default=1)
    channel = models.CharField(_("claim channel"), max_length=10, choices=Channel.choices, default=Channel.CENTER)
    live_stream_id = models.BigIntegerField(_("live stream"), null=True, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(off__gt=0), name="coupon_off_positive"),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="coupon_threshold_ge_0"),
            models.CheckConstraint(
                condition=Q(threshold=0) | Q(off__lte=F("threshold")), name="coupon_off_not_above_threshold"
            ),
            models.CheckConstraint(condition=Q(issued_count__lte=F("total_quantity")), name="coupon_issued_le_total"),
            models.CheckConstraint(condition=Q(per_shopper_limit__gte=1), name="coupon_per_shopper_ge_1"),
            models.CheckConstraint(
                condition=Q(kind="store_coupon", store__isnull=False)
                | (~Q(kind="store_coupon") & Q(store__isnull=True)),
                name="coupon_store_iff_store_coupon",
            ),
            models.CheckConstraint(
                condition=~Q(kind="red_packet") | Q(threshold=0), name="coupon_red_packet_no_threshold"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["center", "targeted"], live_stream_id__isnull=True)
                | Q(channel="live", live_stream_id__isnull=False),
                name="coupon_live_channel_has_stream",
            ),
            models.CheckConstraint(
                condition=Q(valid_days__isnull=True) | (Q(valid_days__gte=1) & Q(valid_to__isnull=True)),
                name="coupon_validity_absolute_or_relative",
            ),
            window_check("coupon_valid_window_order"),
            window_check("coupon_claim_window_order", "claim_from", "claim_until"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> int:
        return max(self.total_quantity - self.issued_count, 0)

    def claimable_now(self, at: datetime.datetime) -> bool:
        if not self.is_active or not in_window(self.claim_from, self.claim_until, at):
            return False
        # An absolute validity that has already ended cannot be claimed.
        return self.valid_to is None or at <= self.valid_to

    def validity_for_claim(self, at: datetime.datetime) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        if self.valid_days:
            return at, at + datetime.timedelta(days=self.valid_days)
        return self.valid_from, self.valid_to

    def rule_label(self) -> str:
        if self.threshold > 0:
            return str(_("¥%(off)s off orders over ¥%(threshold)s") % {"off": self.off, "threshold": self.threshold})
        return str(_("¥%(off)s off, no minimum") % {"off": self.off})


# What a merchant or operator picks when creating a coupon; targeted coupons come from a targeted campaign.
CLAIM_CHANNELS = [(channel.value, channel.label) for channel in (CouponTemplate.Channel.CENTER,
                                                                 CouponTemplate.Channel.LIVE)]  # fmt: skip


class IssuedCoupon(models.Model):
    """One coupon a shopper holds. ``seq`` numbers a shopper's coupons of one template (1..per_shopper_limit), so
    the unique constraint enforces the per-shopper limit even under concurrent claims."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Ready to use")
        USED = "used", _("Used")
        RETURNED = "returned", _("Returned (usable again)")
        EXPIRED = "expired", _("Expired")

    USABLE_STATUSES = (Status.CLAIMED, Status.RETURNED)

    template = models.ForeignKey(CouponTemplate, on_delete=models.PROTECT, related_name="issued")
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupons")
    seq = models.PositiveIntegerField(default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    order_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    live_stream_id = models.BigIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "shopper", "seq"], name="coupon_seq_unique_per_shopper"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="coupon_seq_ge_1"),
            models.CheckConstraint(
                condition=~Q(status="used") | Q(order_id__isnull=False), name="used_coupon_has_order"
            ),
        ]
        indexes = [models.Index(fields=["shopper", "status"])]

    def __str__(self) -> str:
        return f"{self.template} ({self.get_status_display()})"

    def usable_at(self, at: datetime.datetime) -> bool:
        return self.status in self.USABLE_STATUSES and in_window(self.valid_from, self.valid_to, at)

    def display_status(self, at: datetime.datetime | None = None) -> str:
        """What the shopper sees: a held coupon past its end shows as expired even before the sweep marks it."""
        at = at or timezone.now()
        if self.status in self.USABLE_STATUSES and self.valid_to is not None and at > self.valid_to:
            return self.Status.EXPIRED
        return self.status


class CampaignSpend(models.Model):
    """What one order took from a campaign's platform budget, so releasing the order gives exactly that back once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="spends")
    order_id = models.BigIntegerField(db_index=True)
    amount = MoneyField()
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order_id"], name="one_spend_per_campaign_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="campaign_spend_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} order {self.order_id}: {self.amount}"
