"""What the cart, checkout, flash-sale and seller order endpoints accept. Inputs never carry prices: the server
computes every amount.
"""

from __future__ import annotations

from rest_framework import serializers

from marketplace.serializers import ColumnBoundSerializer
from orders.models import Invoice


class AddItemSerializer(ColumnBoundSerializer):
    sku = serializers.IntegerField()
    quantity = serializers.IntegerField(default=1)
    source = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class QuantitySerializer(ColumnBoundSerializer):
    quantity = serializers.IntegerField()


class CartSelectionSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, help_text="Cart item ids to tick")


class CouponChoiceSerializer(serializers.Serializer):
    coupon_choice = serializers.JSONField(help_text='"best", or a list of IssuedCoupon ids to use')


class FulfilmentChoiceSerializer(ColumnBoundSerializer):
    store = serializers.IntegerField()
    outlet = serializers.IntegerField(
        required=False, allow_null=True, help_text="An outlet for pickup; omit = delivery"
    )


class BuyNowLineSerializer(ColumnBoundSerializer):
    sku = serializers.IntegerField()
    quantity = serializers.IntegerField(default=1)
    source = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class StoreNoteSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    note = serializers.CharField(max_length=200, allow_blank=True, help_text="The shopper's note to the store (留言)")


class InvoiceRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Invoice.Kind.choices)
    title = serializers.CharField(max_length=120, help_text="Your name (personal) or the company name")
    tax_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                       help_text="The company's tax number (company invoices)")  # fmt: skip


class CheckoutSerializer(ColumnBoundSerializer):
    idempotency_key = serializers.CharField(max_length=80)
    items = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text="Cart item ids to check out (勾选结算); the other lines stay in the cart. Omit for the whole cart. "
        "(Objects {sku, quantity, source} are read as buy_now lines, for older clients.)",
    )
    buy_now = BuyNowLineSerializer(
        many=True, required=False, default=list, help_text="Buy now (立即购买): order these lines, not the cart"
    )
    notes = StoreNoteSerializer(many=True, required=False, default=list)
    invoice = InvoiceRequestSerializer(required=False, allow_null=True, help_text="Ask each store for an e-invoice")
    address = serializers.IntegerField(required=False, allow_null=True, help_text="Needed unless every store is pickup")
    fulfilment = FulfilmentChoiceSerializer(many=True, required=False, default=list)
    coupon_choice = serializers.JSONField(required=False, help_text='"best" or coupon ids; default: the cart\'s')
    expected_payable = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, help_text="Refuse (409) if the total (with shipping) differs"
    )

    def validate(self, attrs):
        items = attrs.get("items")
        if items is None:
            return attrs
        if items and all(isinstance(item, dict) for item in items):
            if attrs.get("buy_now"):
                raise serializers.ValidationError({"items": "Send either buy_now lines or cart item ids."})
            lines = BuyNowLineSerializer(data=items, many=True)
            lines.is_valid(raise_exception=True)
            attrs["buy_now"], attrs["items"] = lines.validated_data, None
            return attrs
        if any(isinstance(item, bool) or not isinstance(item, int | str) for item in items):
            raise serializers.ValidationError({"items": "A list of cart item ids."})
        if attrs.get("buy_now"):
            raise serializers.ValidationError({"items": "Send either buy_now lines or cart item ids."})
        return attrs


class FlashBuySerializer(ColumnBoundSerializer):
    idempotency_key = serializers.CharField(max_length=80, help_text="The same key returns the same ticket or order")
    address = serializers.IntegerField(help_text="One of the shopper's delivery addresses")
    quantity = serializers.IntegerField(min_value=1, default=1)
    source = serializers.CharField(max_length=64, required=False, default="", help_text="e.g. a livestream")


class FlashAddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class FlashSaleSerializer(serializers.Serializer):
    sku = serializers.IntegerField()
    units_left = serializers.IntegerField()
    addresses = FlashAddressSerializer(many=True, help_text="The shopper's delivery addresses (send one's id)")


class FlashTicketSerializer(serializers.Serializer):
    ticket = serializers.CharField(allow_null=True, help_text="null when the key's order was written already")
    status = serializers.ChoiceField(choices=["queued", "placed", "failed"])
    order = serializers.CharField(required=False, help_text="The order number once placed (pay it as any order)")
    reason = serializers.CharField(required=False, help_text="Why the ticket failed (its units went back on offer)")
    sku = serializers.IntegerField(required=False)
    units = serializers.IntegerField(required=False)


class ShipSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=60)
    tracking_number = serializers.CharField(max_length=60)


class InvoiceUploadSerializer(serializers.Serializer):
    pdf = serializers.FileField(help_text="The e-invoice as a PDF (at most 5 MB)")


class PickupCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
