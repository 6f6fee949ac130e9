"""Settlement of received sub-orders to stores, commission rates, manual settlement runs and payouts.

The tables keep the names they had when these models lived in payments (``payments_*``): moving the models
between apps changed only Django's state (settlement migration 0001), no table was recreated.

The ledger is the book of record; these rows say which entry settled which sub-order (exactly once: one row per
sub-order, unique) and which payout moved which store's money out, so statements and checks can tie them together.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


class CommissionRate(models.Model):
    """The platform's commission on sales, per vertical and brand; blank vertical/brand = any. The most specific
    row wins: (vertical, brand) > (vertical, any) > (any, brand) > (any, any) > settings.DEFAULT_COMMISSION_RATE."""

    vertical = models.ForeignKey(
        "shops.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("vertical"),
    )
    brand = models.CharField(_("brand"), max_length=10, blank=True, choices=[("", _("Any brand")),
                             ("TAOBAO", _("Taobao")), ("TMALL", _("Tmall"))])  # fmt: skip
    rate = models.DecimalField(
        _("rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
        help_text=_("A fraction: 0.0500 is 5%."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "payments_commissionrate"
        ordering = ["vertical_id", "brand"]
        constraints = [
            models.UniqueConstraint(
                fields=["vertical", "brand"], name="one_commission_rate_per_scope", nulls_distinct=False
            ),  # fmt: skip
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=Decimal("0.5")), name="commission_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.vertical or 'any'} / {self.brand or 'any'}: {self.rate}"

    @property
    def percent(self) -> Decimal:
        return (self.rate * 100).quantize(Decimal("0.01"))


class SettlementRun(models.Model):
    """An operator's "settle now" (or a scheduled sweep) with progress the console polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    amount = MoneyField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "payments_settlementrun"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"settlement run #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return int((self.done + self.skipped + self.failed) * 100 / self.total)


class Settlement(models.Model):
    """One received sub-order settled to its store: exactly one per sub-order."""

    suborder = models.OneToOneField("orders.SubOrder", on_delete=models.PROTECT, related_name="settlement")
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="settlements")
    paid_amount = MoneyField()  # what the shopper paid, less refunds made before settlement (out of escrow)
    platform_subsidy = MoneyField(default=0)  # platform-funded discounts (out of promotion expense)
    commission = MoneyField(default=0)  # to commission revenue
    adjustments = models.JSONField(default=list, blank=True)  # [{"account": code, "amount": "1.00"}] (creators...)
    adjustments_total = MoneyField(default=0)
    store_amount = MoneyField()  # into the store's payable
    entry = models.OneToOneField("payments.JournalEntry", on_delete=models.PROTECT, related_name="settlement")
    run = models.ForeignKey(SettlementRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="settlements")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "payments_settlement"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["store", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    store_amount=models.F("paid_amount")
                    + models.F("platform_subsidy")
                    - models.F("commission")
                    - models.F("adjustments_total")
                ),
                name="settlement_adds_up",
            )
        ]

    def __str__(self) -> str:
        return f"settlement of {self.suborder_id}: {self.store_amount}"


class Payout(models.Model):
    """A store's payable sent to its bank account; one per store per period (the scheduled run is idempotent)."""

    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="payouts")
    period = models.CharField(max_length=20)  # e.g. 2026-11-23 for the daily run, or "manual-<uuid>"
    amount = MoneyField()
    entry = models.OneToOneField("payments.JournalEntry", on_delete=models.PROTECT, related_name="payout")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "payments_payout"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "period"], name="one_payout_per_store_period"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"payout {self.amount} to {self.store_id} ({self.period})"
