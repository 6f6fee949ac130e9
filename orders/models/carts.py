"""Carts: one per shopper or anonymous session, and their items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Cart(models.Model):
    """One per shopper, or one per anonymous session (merged into the shopper's cart at login)."""

    shopper = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart"
    )
    session_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # None = let the engine pick the best coupons; otherwise the IssuedCoupon ids the shopper chose.
    coupon_choice = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(shopper__isnull=False) | Q(session_key__isnull=False), name="cart_has_an_owner"
            )
        ]

    def __str__(self) -> str:
        return f"cart of {self.shopper or self.session_key}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    sku = models.ForeignKey("shops.SKU", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    # Attribution, e.g. "live:<stream id>" when bought from a livestream room; copied onto the order line.
    source = models.CharField(max_length=64, blank=True, default="")
    # Ticked for checkout (勾选结算): the cart page prices and checks out the selected lines only.
    selected = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="one_cart_item_per_sku"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku_id}"
