"""The priced cart and the checkout options as the API returns them."""

from __future__ import annotations

from rest_framework import serializers


class DiscountOutSerializer(serializers.Serializer):
    lane = serializers.CharField()
    source_kind = serializers.CharField()
    source_id = serializers.IntegerField()
    label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    platform_funded = serializers.DecimalField(max_digits=12, decimal_places=2)
    merchant_funded = serializers.DecimalField(max_digits=12, decimal_places=2)


class CartLineOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.IntegerField()
    product = serializers.IntegerField()
    title = serializers.CharField()
    sku_label = serializers.CharField()
    quantity = serializers.IntegerField()
    max_quantity = serializers.IntegerField()
    source = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    payable = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    discounts = DiscountOutSerializer(many=True)
    problem = serializers.CharField(allow_null=True)
    selected = serializers.BooleanField(help_text="Ticked for checkout; only ticked lines are priced")


class CartStoreOutSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    name = serializers.CharField()
    brand = serializers.CharField()
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    discount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    payable = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    shipping_fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="To the default address; null if none ticked"
    )
    total = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="payable + shipping_fee; null if none ticked"
    )
    lines = CartLineOutSerializer(many=True)


class HintOutSerializer(serializers.Serializer):
    label = serializers.CharField()
    spend_more = serializers.DecimalField(max_digits=12, decimal_places=2)
    save = serializers.DecimalField(max_digits=12, decimal_places=2)


class CouponOptionOutSerializer(serializers.Serializer):
    coupon_id = serializers.IntegerField()
    label = serializers.CharField()
    lane = serializers.CharField()
    selected = serializers.BooleanField()
    usable = serializers.BooleanField()
    reason = serializers.CharField()


class DiscountTotalOutSerializer(serializers.Serializer):
    lane = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class CartOutSerializer(serializers.Serializer):
    stores = CartStoreOutSerializer(many=True)
    discounts = DiscountTotalOutSerializer(many=True, help_text="Each promotion's saving over the whole cart")
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    discount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    payable = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    shipping_fee = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    total = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="payable + shipping_fee"
    )
    hints = HintOutSerializer(many=True)
    coupon_choice = serializers.JSONField()
    coupons_used = serializers.ListField(child=serializers.IntegerField())
    coupon_options = CouponOptionOutSerializer(many=True)
    coupon_error = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
    can_checkout = serializers.BooleanField()


def cart_data(view) -> dict:
    """A CartView (orders.cart_view.view_cart) as plain data for CartOutSerializer."""
    priced = view.priced
    stores = []
    for group in view.groups:
        lines = []
        for line in group.lines:
            item, p = line.item, line.priced
            lines.append(
                {
                    "id": item.pk,
                    "sku": item.sku_id,
                    "product": item.sku.product_id,
                    "title": item.sku.product.title,
                    "sku_label": item.sku.label,
                    "quantity": item.quantity,
                    "max_quantity": line.max_quantity,
                    "source": item.source,
                    "unit_price": item.sku.price,
                    "subtotal": p.subtotal if p else None,
                    "payable": p.payable if p else None,
                    "discounts": [d.__dict__ for d in p.discounts] if p else [],
                    "problem": line.problem,
                    "selected": item.selected,
                }
            )
        stores.append(
            {
                "store": group.store.pk,
                "name": group.store.name,
                "brand": group.store.brand,
                "subtotal": group.subtotal,
                "discount": group.discount,
                "payable": group.payable,
                "shipping_fee": group.shipping_fee,
                "total": group.total,
                "lines": lines,
            }
        )
    return {
        "stores": stores,
        "subtotal": priced.subtotal if priced else None,
        "discount": priced.discount if priced else None,
        "payable": priced.payable if priced else None,
        "shipping_fee": view.shipping_fee,
        "total": view.total,
        "discounts": view.discount_breakdown,
        "hints": [h.__dict__ for h in priced.hints] if priced else [],
        "coupon_choice": view.cart.coupon_choice if view.cart.coupon_choice is not None else "best",
        "coupons_used": list(priced.coupons_used) if priced else [],
        "coupon_options": [o.__dict__ for o in priced.coupon_options] if priced else [],
        "coupon_error": view.coupon_error,
        "problems": view.problems,
        "can_checkout": view.can_checkout,
    }


class OutletOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    pickup_hours = serializers.CharField()


class CheckoutStoreOptionSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    name = serializers.CharField()
    pickup_outlets = OutletOptionSerializer(many=True)
