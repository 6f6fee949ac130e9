"""Orders and sub-orders (lines, discounts, timeline, invoice, tracking) as the API returns them."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.serializers import FieldsBuiltOnce
from orders.models import Invoice, Order, OrderLine, OrderLineDiscount, SubOrder, SubOrderEvent

# An order's and a sub-order's payable already include shipping; "total" names the same amount as the cart does
# (the cart's own payable is the goods after discounts, its total adds shipping).
TOTAL_HELP = "What the shopper pays: goods after discounts + shipping_fee (equal to payable)"


class LineDiscountSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = OrderLineDiscount
        fields = ("lane", "source_kind", "source_id", "label", "amount", "platform_funded", "merchant_funded")


class OrderLineSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    discounts = LineDiscountSerializer(many=True, read_only=True)

    class Meta:
        model = OrderLine
        fields = (
            "id", "sku", "title", "sku_label", "quantity", "unit_price", "subtotal", "base", "payable", "source",
            "discounts",
        )  # fmt: skip


class EventSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A timeline event: codes (``kind``, ``reason_code`` + ``reason_params``) and their words in the request's
    language (``label``, ``reason``)."""

    actor = serializers.StringRelatedField(allow_null=True, help_text="null when the system acted (a timer, a worker)")
    label = serializers.CharField(read_only=True)
    reason = serializers.CharField(source="reason_text", read_only=True)

    class Meta:
        model = SubOrderEvent
        fields = ("kind", "label", "from_state", "to_state", "actor", "reason", "reason_code", "reason_params", "data",
                  "at")  # fmt: skip


class InvoiceSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="The PDF once issued (the buyer and store staff only)")

    class Meta:
        model = Invoice
        fields = ("kind", "title", "tax_number", "status", "requested_at", "issued_at", "download_url")

    def get_download_url(self, invoice) -> str | None:
        if invoice.status != Invoice.Status.ISSUED:
            return None
        return reverse("orders:invoice_pdf", args=[invoice.suborder_id])


class TrackingOutSerializer(serializers.Serializer):
    """A carrier's report (logistics.TrackingEvent, read through the reverse relation ``tracking_events``)."""

    status = serializers.ChoiceField(choices=["picked_up", "in_transit", "at_station", "out_for_delivery", "delivered"])
    label = serializers.CharField()
    location = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()


class SubOrderSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    brand = serializers.CharField(source="store.brand", read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    pickup_outlet_name = serializers.CharField(
        source="pickup_outlet.name", read_only=True, default=None, allow_null=True, help_text="null for delivery"
    )
    auto_receive_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When a shipped sub-order counts as received; null otherwise"
    )
    invoice = serializers.SerializerMethodField()
    ship_by = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Paid delivery: ship by then")
    tracking = TrackingOutSerializer(
        source="tracking_events", many=True, read_only=True, help_text="The carrier's reports, oldest first"
    )
    total = serializers.DecimalField(source="payable", max_digits=12, decimal_places=2, read_only=True,
                                     help_text=TOTAL_HELP)  # fmt: skip

    class Meta:
        model = SubOrder
        fields = (
            "id", "number", "store", "store_name", "brand", "state", "fulfilment", "pickup_outlet",
            "pickup_outlet_name", "carrier", "tracking_number", "subtotal", "discount", "shipping_fee", "payable",
            "total", "buyer_note", "invoice", "refund_open",
            "created_at", "paid_at", "ship_by", "shipped_at", "delivered_at", "received_at", "completed_at",
            "closed_at", "auto_receive_at", "lines", "events", "tracking",
        )  # fmt: skip

    @extend_schema_field(InvoiceSerializer(allow_null=True))
    def get_invoice(self, suborder):
        try:
            return InvoiceSerializer(suborder.invoice).data
        except Invoice.DoesNotExist:
            return None


class ShopperSubOrderSerializer(SubOrderSerializer):
    """The shopper also sees the pickup code (to show at the outlet); merchants never get it from the API."""

    class Meta(SubOrderSerializer.Meta):
        fields = (*SubOrderSerializer.Meta.fields, "pickup_code")


class OrderSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    suborders = ShopperSubOrderSerializer(many=True, read_only=True)
    total = serializers.DecimalField(
        source="payable", max_digits=12, decimal_places=2, read_only=True, help_text=TOTAL_HELP
    )
    cancel_reason = serializers.CharField(
        source="cancel_reason_text", read_only=True, help_text="Why it was cancelled, in the request's language."
    )

    class Meta:
        model = Order
        fields = (
            "number", "status", "subtotal", "discount", "shipping_fee", "payable", "total", "coupons_used",
            "shipping_address", "created_at",
            "expires_at", "paid_at", "cancelled_at", "cancel_reason", "suborders",
        )  # fmt: skip


class OrderSummarySerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(
        source="payable", max_digits=12, decimal_places=2, read_only=True, help_text=TOTAL_HELP
    )

    class Meta:
        model = Order
        fields = (
            "number", "status", "subtotal", "discount", "shipping_fee", "payable", "total", "created_at", "expires_at",
            "paid_at",
        )  # fmt: skip


class SellerSubOrderSerializer(SubOrderSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    shipping_address = serializers.JSONField(source="order.shipping_address", read_only=True)

    class Meta(SubOrderSerializer.Meta):
        fields = (*SubOrderSerializer.Meta.fields, "order_number", "shipping_address")
