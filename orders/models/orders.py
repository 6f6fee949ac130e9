"""Orders, the sub-order one store fulfils, the sub-order state machine (TRANSITIONS) and the sub-order timeline.

The state machine lives in ``orders.services.transition`` and nowhere else.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField


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
