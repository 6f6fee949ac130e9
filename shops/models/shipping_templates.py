"""A store's shipping-fee templates; the fee rule itself is shops.shipping (pure)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField
from shops import shipping
from shops.models.stores import Store


class ShippingTemplate(models.Model):
    """A store's shipping-fee template (运费模板); the rule itself is shops.shipping (pure)."""

    class Mode(models.TextChoices):
        FREE = "free", _("Free shipping")
        FREE_OVER = "free_over", _("Free over an amount")
        BY_REGION = "by_region", _("By region")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="shipping_templates")
    name = models.CharField(_("name"), max_length=60)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.BY_REGION)
    free_over = MoneyField(_("free over"), null=True, blank=True)
    first_fee = MoneyField(_("first unit"), default=0)
    additional_fee = MoneyField(_("each additional unit"), default=0)
    # [{"provinces": [...], "first_fee": "20.00", "additional_fee": "10.00", "remote": true}], see shops.shipping.
    regions = models.JSONField(_("regions"), default=list, blank=True)
    is_default = models.BooleanField(_("store default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["store_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="shipping_template_name_per_store"),
            models.UniqueConstraint(
                fields=["store"], condition=Q(is_default=True), name="one_default_shipping_template_per_store"
            ),
            models.CheckConstraint(
                condition=Q(first_fee__gte=0, additional_fee__gte=0), name="shipping_fees_not_negative"
            ),
            models.CheckConstraint(condition=~Q(mode="free_over") | Q(free_over__gt=0), name="free_over_needs_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}: {self.name}"

    def rule(self) -> shipping.FeeRule:
        return shipping.FeeRule(
            mode=self.mode,
            default=shipping.Rate(self.first_fee, self.additional_fee),
            regions=shipping.regions_from_json(self.regions or []),
            free_over=self.free_over,
        )
