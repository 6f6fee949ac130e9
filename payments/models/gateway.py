"""What the platform knows about payments at the gateway, and the sandbox gateway's own records."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField

# A gateway notification unacknowledged for this long is stuck: operators see it, the shopper is told.
STUCK_AFTER = datetime.timedelta(minutes=3)


class Payment(models.Model):
    """One attempt to pay an order through a gateway. An order may have several (a failed one, then a retry)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the payment")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")
        # Money arrived for an order that could no longer take it (cancelled, or paid twice): sent back.
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(max_length=20, default="sandbox")
    reference = models.CharField(max_length=40, unique=True)
    amount = MoneyField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Where the gateway sends its asynchronous notification (like a real gateway's notify_url).
    notify_url = models.URLField(max_length=300)
    gateway_transaction_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Sandbox: what the shopper chose on the hosted page ("" until then).
    sandbox_outcome = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"payment {self.reference} ({self.status})"

    @property
    def confirmation_delayed(self) -> bool:
        """The shopper chose on the gateway's page but its notification has not got through for a while (the
        platform keeps retrying; an operator sees it among the stuck deliveries)."""
        if self.status != self.Status.PENDING or not self.sandbox_outcome:
            return False
        return self.deliveries.filter(
            acknowledged_at__isnull=True, created_at__lte=timezone.now() - STUCK_AFTER
        ).exists()

    @property
    def refunded_amount(self):
        return self.gateway_refunds.aggregate(total=models.Sum("amount"))["total"] or 0


class CallbackDelivery(models.Model):
    """The sandbox gateway's outbox: a notification it keeps sending (with back-off) until acknowledged."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="deliveries")
    payload = models.TextField()
    signature = models.CharField(max_length=128)
    attempts = models.PositiveIntegerField(default=0)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"callback for {self.payment_id} ({self.attempts} attempts)"


class PaymentCallback(models.Model):
    """Every callback the platform received, valid or not (audit trail of the gateway's notifications)."""

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks")
    body = models.TextField()
    signature = models.CharField(max_length=256, blank=True)
    accepted = models.BooleanField(default=False)
    outcome = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"callback {self.pk}: {self.outcome}"


class GatewayRefund(models.Model):
    """Money the gateway returned to the shopper; idempotent per key, never more than was paid."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="gateway_refunds")
    amount = MoneyField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    reference = models.CharField(max_length=40, unique=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="gateway_refund_positive")]

    def __str__(self) -> str:
        return f"refund {self.reference} {self.amount}"
