"""Carts, orders split into one sub-order per store, order lines, their discounts and stock draws, and events.

Writes happen in orders.services (one transaction per business operation); the sub-order state machine lives in
``orders.services.transition`` and nowhere else.
"""

from __future__ import annotations

import datetime
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


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


class Order(models.Model):
    """What the shopper checked out and pays for at once; one SubOrder per store."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(max_length=24, unique=True)
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    idempotency_key = models.CharField(max_length=80)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    address = models.ForeignKey("accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A copy of the delivery address at checkout: later edits of the address book never change an order.
    shipping_address = models.JSONField(default=dict, blank=True)
    subtotal = MoneyField(default=0)
    discount = MoneyField(default=0)
    # Shipping is never discounted; payable = goods after discounts + shipping_fee.
    shipping_fee = MoneyField(default=0)
    payable = MoneyField(default=0)
    coupons_used = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    promotions_released = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shopper", "idempotency_key"], name="order_idempotency_per_shopper"),
            models.CheckConstraint(condition=Q(payable__gte=0), name="order_payable_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"order {self.number}"

    @property
    def is_awaiting_payment(self) -> bool:
        return self.status == self.Status.AWAITING_PAYMENT

    @property
    def cancel_reason_text(self) -> str:
        """Why the order was cancelled, in the reader's language (from its sub-orders' timeline)."""
        suborders = getattr(self, "_prefetched_objects_cache", {}).get("suborders")
        if suborders is not None and all("events" in getattr(s, "_prefetched_objects_cache", {}) for s in suborders):
            cancelled = [e for s in suborders for e in s.events.all() if e.kind == "cancelled"]
            event = min(cancelled, key=lambda e: e.pk) if cancelled else None
        else:
            event = SubOrderEvent.objects.filter(suborder__order=self, kind="cancelled").order_by("id").first()
        return event.reason_text if event is not None else self.cancel_reason


class SubOrder(models.Model):
    """The part of an order one store fulfils. States and transitions: TRANSITIONS below; orders.services.transition
    is the only code that changes the state."""

    class State(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        AWAITING_SHIPMENT = "awaiting_shipment", _("Awaiting shipment")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    class Fulfilment(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PICKUP = "pickup", _("Pickup at an outlet")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="suborders")
    number = models.CharField(max_length=32, unique=True)
    store = models.ForeignKey("shops.Store", on_delete=models.PROTECT, related_name="suborders")
    state = models.CharField(max_length=20, choices=State.choices, default=State.AWAITING_PAYMENT)
    fulfilment = models.CharField(max_length=10, choices=Fulfilment.choices, default=Fulfilment.DELIVERY)
    pickup_outlet = models.ForeignKey(
        "shops.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="pickup_suborders"
    )
    pickup_code = models.CharField(max_length=12, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    subtotal = MoneyField(default=0)
    discount = MoneyField(default=0)
    # From the store's shipping templates and the delivery address (0 for pickup); included in payable.
    shipping_fee = MoneyField(default=0)
    payable = MoneyField(default=0)
    buyer_note = models.CharField(_("note to the store"), max_length=200, blank=True)
    # While a refund is open the automatic receipt timer is paused (refunds sets this through orders.services).
    refund_open = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set by logistics when the sub-order is paid (the store's service card, platform holidays skipped).
    ship_by = models.DateTimeField(_("ship by"), null=True, blank=True)
    # When the carrier reported delivery (logistics, through mark_delivered): starts the auto-receive clock.
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(payable__gte=0), name="suborder_payable_not_negative"),
            models.CheckConstraint(
                condition=Q(fulfilment="delivery") | Q(pickup_outlet__isnull=False), name="pickup_needs_outlet"
            ),
            models.UniqueConstraint(fields=["order", "store"], name="one_suborder_per_store"),
            models.CheckConstraint(condition=Q(shipping_fee__gte=0), name="suborder_shipping_not_negative"),
            models.CheckConstraint(condition=Q(payable__gte=models.F("shipping_fee")), name="suborder_payable_ge_ship"),
        ]
        indexes = [
            models.Index(fields=["store", "state", "-created_at"]),
            models.Index(fields=["state", "shipped_at"]),
            models.Index(fields=["state", "ship_by"]),
        ]

    def __str__(self) -> str:
        return f"sub-order {self.number}"

    @property
    def is_pickup(self) -> bool:
        return self.fulfilment == self.Fulfilment.PICKUP

    @property
    def invoice_or_none(self):
        """The e-invoice the shopper asked for, or None (templates cannot catch a missing one-to-one)."""
        try:
            return self.invoice
        except models.ObjectDoesNotExist:
            return None

    @property
    def is_unshipped(self) -> bool:
        """Paid and nothing has left the store yet (not shipped, not picked up): the goods are still on the shelf."""
        return self.state == self.State.AWAITING_SHIPMENT and self.shipped_at is None

    @staticmethod
    def unshipped(prefix: str = "") -> Q:
        """``is_unshipped`` as a query condition (``prefix`` as for ``closed_unshipped``)."""
        return Q(**{f"{prefix}state": SubOrder.State.AWAITING_SHIPMENT, f"{prefix}shipped_at__isnull": True})

    def can_become(self, to_state: str) -> bool:
        """Whether the state machine (TRANSITIONS) allows moving from the current state to ``to_state``."""
        return to_state in TRANSITIONS.get(self.state, frozenset())

    @staticmethod
    def closed_unshipped(prefix: str = "") -> Q:
        """Sub-orders closed before anything was shipped (cancelled, or refunded in full on the shelf): they never
        count as bought. ``prefix`` reaches them from a related model, e.g. ``"suborder__"``."""
        return Q(**{f"{prefix}state": SubOrder.State.CLOSED, f"{prefix}shipped_at__isnull": True})

    def auto_receive_at(self) -> datetime.datetime | None:
        """AUTO_RECEIVE_DAYS after the carrier reported delivery; a parcel with no delivery report is received
        AUTO_RECEIVE_UNDELIVERED_DAYS after shipping (a carrier without tracking)."""
        if self.state != self.State.SHIPPED or not self.shipped_at:
            return None
        if self.delivered_at:
            return self.delivered_at + datetime.timedelta(days=settings.AUTO_RECEIVE_DAYS)
        return self.shipped_at + datetime.timedelta(days=settings.AUTO_RECEIVE_UNDELIVERED_DAYS)


_State = SubOrder.State
# The sub-order state machine (DESIGN.md "Orders"): state -> the states it may become.
TRANSITIONS: dict[str, frozenset[str]] = {
    _State.AWAITING_PAYMENT: frozenset({_State.AWAITING_SHIPMENT, _State.CLOSED}),
    _State.AWAITING_SHIPMENT: frozenset({_State.SHIPPED, _State.RECEIVED, _State.CLOSED}),
    _State.SHIPPED: frozenset({_State.RECEIVED, _State.CLOSED}),
    _State.RECEIVED: frozenset({_State.COMPLETED, _State.CLOSED}),
    # A sub-order refunded in full after settlement (the store's payable is clawed back) closes too.
    _State.COMPLETED: frozenset({_State.CLOSED}),
    _State.CLOSED: frozenset(),
}


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


class SubOrderEvent(models.Model):
    """Every transition and notable fact of a sub-order: who, when, why, with data. Shown as the timeline."""

    suborder = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why, as a code with its parameters (orders.events renders it in the reader's language). ``reason`` holds
    # only old free text that could not be turned into a code.
    reason_code = models.CharField(max_length=60, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.suborder_id}: {self.kind}"

    @property
    def label(self) -> str:
        from orders.events import kind_label

        return kind_label(self.kind)

    @property
    def reason_text(self) -> str:
        from orders.events import render_reason

        return render_reason(self.reason_code, self.reason_params) if self.reason_code else self.reason


class PrivateStorage(FileSystemStorage):
    """Files only their owners may read, under settings.PRIVATE_MEDIA_ROOT: served through a permission-checked view,
    never under /media/. The location is read at each use, so a test's settings override applies."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def invoice_path(invoice, _filename: str) -> str:
    return f"invoices/{invoice.suborder_id}-{uuid.uuid4().hex}.pdf"


class Invoice(models.Model):
    """An e-invoice (电子发票) the shopper asked for at checkout; the store issues it and uploads the PDF."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        COMPANY = "company", _("Company")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")

    suborder = models.OneToOneField(SubOrder, on_delete=models.CASCADE, related_name="invoice")
    kind = models.CharField(_("invoice type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("invoice title"), max_length=120)
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    pdf = models.FileField(upload_to=invoice_path, storage=private_storage, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="personal") | ~Q(tax_number=""), name="company_invoice_needs_tax_number"
            ),
            models.CheckConstraint(condition=Q(status="requested") | ~Q(pdf=""), name="issued_invoice_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"invoice of {self.suborder_id} ({self.status})"
