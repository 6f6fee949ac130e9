"""API shapes for cart, checkout and orders. Inputs never carry prices: the server computes every amount."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.serializers import ColumnBoundSerializer, FieldsBuiltOnce
from orders.models import Invoice, Order, OrderLine, OrderLineDiscount, SubOrder, SubOrderEvent

# --- inputs ----------------------------------------------------------------------------------------------------


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


# --- cart output -----------------------------------------------------------------------------------------------


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


# --- orders ----------------------------------------------------------------------------------------------------

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
