"""Refund policy versions (audited), refund requests with their lines, and the request state machine.

State machine of ``RefundRequest.status`` (writes only in refunds.services, under SELECT ... FOR UPDATE):

    pending_review --approve--> approved (refund only) | awaiting_return (return and refund)
    pending_review --reject---> rejected --modify--> pending_review
                                rejected --escalate--> escalated --operator--> approved / awaiting_return / closed
                                rejected --5 days----> closed
    awaiting_return --tracking number--> return_shipped --receipt or 10 days--> approved
    approved --worker pays (gateway + ledger + stock + close)--> refunded
    pending_review / rejected / awaiting_return --shopper withdraws--> closed

An instant request is created directly in ``approved``. ``approved`` is the outbox: a committed row in that state
is a refund the platform owes; the task and the beat sweep pay it exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


class RefundPolicyVersion(models.Model):
    """One immutable version of the instant-refund policy (refunds.policy JSON). The newest published one applies
    to new requests; each request records the version it was evaluated under."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(unique=True)
    rules = models.JSONField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return f"policy v{self.number} ({self.status})"


class PolicyAuditEntry(models.Model):
    """Who did what to the refund policy, when (append-only)."""

    class Action(models.TextChoices):
        DRAFTED = "drafted", _("Saved a draft")
        PUBLISHED = "published", _("Published")
        DRY_RUN = "dry_run", _("Ran a dry run")

    version = models.ForeignKey(RefundPolicyVersion, null=True, on_delete=models.PROTECT, related_name="audit")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} v{self.version_id} by {self.actor_id}"


class RefundRequest(models.Model):
    class Kind(models.TextChoices):
        REFUND_ONLY = "refund_only", _("Refund only")
        RETURN_AND_REFUND = "return_and_refund", _("Return and refund")

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Awaiting the merchant")
        REJECTED = "rejected", _("Rejected by the merchant")
        ESCALATED = "escalated", _("Platform reviewing")
        AWAITING_RETURN = "awaiting_return", _("Awaiting your return shipment")
        RETURN_SHIPPED = "return_shipped", _("Return on its way to the merchant")
        APPROVED = "approved", _("Approved, refunding")
        REFUNDED = "refunded", _("Refunded")
        CLOSED = "closed", _("Closed")

    class Reason(models.TextChoices):
        NOT_WANTED = "not_wanted", _("No longer wanted")
        WRONG_ITEM = "wrong_item", _("Wrong item or size")
        DAMAGED = "damaged", _("Damaged or defective")
        NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
        NOT_DELIVERED = "not_delivered", _("Not delivered")
        OTHER = "other", _("Other")

    OPEN_STATUSES = (
        Status.PENDING_REVIEW,
        Status.REJECTED,
        Status.ESCALATED,
        Status.AWAITING_RETURN,
        Status.RETURN_SHIPPED,
        Status.APPROVED,
    )
    # Statuses whose lines hold their quantities (everything except closed).
    HOLDING_STATUSES = (*OPEN_STATUSES, Status.REFUNDED)

    suborder = models.ForeignKey("orders.SubOrder", on_delete=models.PROTECT, related_name="refund_requests")
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="refund_requests")
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="refund_requests")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.REFUND_ONLY)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    description = models.TextField(_("details"), blank=True, max_length=1000)
    amount = MoneyField(_("amount"))
    # The sub-order's shipping fee, returned with the last units of a sub-order that was never shipped
    # (included in amount; the lines carry the rest).
    shipping_amount = MoneyField(_("shipping refunded"), default=0)
    status = models.CharField(max_length=20, choices=Status.choices)
    instant = models.BooleanField(default=False)
    shipped_when_requested = models.BooleanField(default=False)
    policy_version = models.ForeignKey(RefundPolicyVersion, on_delete=models.PROTECT, related_name="requests")
    policy_decision = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=80)
    # When the current stage times out (beat applies DESIGN.md's default outcome).
    deadline_at = models.DateTimeField(null=True, blank=True)
    # The stage's clock (refunds.services.clock): when it started and when it would run out with no closure.
    clock_started_at = models.DateTimeField(null=True, blank=True)
    deadline_base_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    escalation_note = models.TextField(_("why the platform should step in"), blank=True)
    operator_note = models.TextField(_("operator decision"), blank=True)
    return_carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    return_tracking_number = models.CharField(_("return tracking number"), max_length=60, blank=True)
    # 7-day no-reason return (7天无理由退货): approved for return at once, the merchant cannot refuse it.
    no_reason = models.BooleanField(default=False)
    # 运费险: the store had return-shipping insurance when the request was made; the platform refunds the
    # return postage the shopper paid (up to the catalogue's cap) once the merchant has the goods back.
    return_insured = models.BooleanField(default=False)
    return_postage = MoneyField(_("return postage paid"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Payment bookkeeping of the worker.
    gateway_reference = models.CharField(max_length=120, blank=True)
    clawed_back = MoneyField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shopper", "idempotency_key"], name="refund_request_idempotent"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="refund_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"]),
            models.Index(fields=["status", "approved_at"]),
            models.Index(fields=["store", "status"]),
        ]

    def __str__(self) -> str:
        return f"refund #{self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.REFUNDED, self.Status.CLOSED)


class RefundLine(models.Model):
    request = models.ForeignKey(RefundRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    amount = MoneyField()
    restocked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="refund_line_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="refund_line_amount_not_negative"),
            models.UniqueConstraint(fields=["request", "order_line"], name="one_refund_line_per_order_line"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x line {self.order_line_id}"


class ReturnInsurancePayout(models.Model):
    """运费险: the return postage the platform paid a shopper (platform-funded; settlement shows it). Once."""

    request = models.OneToOneField(RefundRequest, on_delete=models.PROTECT, related_name="insurance_payout")
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField()
    ledger_key = models.CharField(max_length=80, unique=True)
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="insurance_payout_positive")]

    def __str__(self) -> str:
        return f"运费险 {self.amount} for refund {self.request_id}"
