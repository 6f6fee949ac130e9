"""The double-entry ledger: accounts, journal entries and their postings.

Sign convention: a posting's amount is positive when money flows INTO the account and negative when it flows out;
the postings of an entry sum to zero. Append-only: the models refuse update and delete, and database triggers
(migration 0002) refuse them too and check, at commit, that every entry balances.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


class LedgerImmutableError(Exception):
    """The ledger is append-only: a correction is a new, reversing entry."""


class Account(models.Model):
    class Kind(models.TextChoices):
        SHOPPER_PAYMENTS = "shopper_payments", _("Shopper payments (external)")
        ESCROW = "escrow", _("Platform escrow")
        STORE_PAYABLE = "store_payable", _("Store payable")
        CREATOR_PAYABLE = "creator_payable", _("Creator payable")
        COMMISSION_REVENUE = "commission_revenue", _("Platform commission revenue")
        PROMOTION_EXPENSE = "promotion_expense", _("Platform promotion expense")
        PAYOUTS = "payouts", _("Payouts (external)")

    code = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=200)
    store = models.ForeignKey("shops.Store", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["store"], condition=Q(kind="store_payable"), name="one_payable_per_store"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind="creator_payable"), name="one_payable_per_creator"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JournalEntry(models.Model):
    kind = models.CharField(max_length=40)  # payment, payment_refund, refund, settlement, payout...
    memo = models.CharField(max_length=300)
    idempotency_key = models.CharField(max_length=160, unique=True)
    reference = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}: {self.memo}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise LedgerImmutableError("journal entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("journal entries are append-only")


class Posting(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = MoneyField()

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="posting_amount_not_zero")]
        indexes = [models.Index(fields=["account", "entry"])]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount:+}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise LedgerImmutableError("postings are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("postings are append-only")
