"""Order lines, their discounts and the stock rows their units were drawn from."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from marketplace.money import MoneyField
from orders.models.orders import SubOrder


class OrderLine(models.Model):
    suborder = models.ForeignKey(SubOrder, on_delete=models.PROTECT, related_name="lines")
    sku = models.ForeignKey("shops.SKU", on_delete=models.PROTECT, related_name="order_lines")
    # Snapshot of what was bought, so later catalog edits never rewrite history.
    title = models.CharField(max_length=200)
    sku_label = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = MoneyField()
    subtotal = MoneyField()  # unit_price x quantity
    base = MoneyField()  # after the item lane
    payable = MoneyField()  # what the shopper paid for this line after every discount
    source = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["suborder_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(payable__gte=0), name="order_line_payable_not_negative"),
            models.CheckConstraint(condition=Q(payable__lte=models.F("subtotal")), name="order_line_payable_le_sub"),
        ]
        indexes = [models.Index(fields=["source"])]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    @property
    def discount(self):
        return self.subtotal - self.payable


class OrderLineDiscount(models.Model):
    """One promotion's share of one line (lane, who funds it). Settlement reads the platform-funded part."""

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="discounts")
    lane = models.CharField(max_length=20)
    source_kind = models.CharField(max_length=20)  # campaign | store_promotion | coupon
    source_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=200)
    amount = MoneyField()
    platform_funded = MoneyField(default=0)
    merchant_funded = MoneyField(default=0)

    class Meta:
        ordering = ["line_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=models.F("platform_funded") + models.F("merchant_funded")),
                name="line_discount_funding_adds_up",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: -{self.amount}"


class StockDraw(models.Model):
    """Which stock row a line's units came from, so a cancellation or refund puts them back in the same place."""

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="draws")
    stock_level = models.ForeignKey("shops.StockLevel", on_delete=models.PROTECT, related_name="draws")
    quantity = models.PositiveIntegerField()
    restored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["line_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="stock_draw_quantity_positive"),
            models.CheckConstraint(condition=Q(restored__lte=models.F("quantity")), name="stock_draw_restored_le"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} from stock {self.stock_level_id}"
