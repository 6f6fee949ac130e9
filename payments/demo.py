"""Pays and ships the demo orders of orders/demo.py through the sandbox gateway's real path (hosted-page choice,
signed callback handled by the platform), so the ledger and the timelines look like production. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from orders import services as order_services
from orders.models import Order, SubOrder
from payments import services
from payments.gateway import get_gateway
from payments.models import CallbackDelivery

# idempotency key -> what happens after payment: "ship", "receive", or "" (paid, awaiting shipment).
# demo-alice-3 stays unpaid so the payment page has something to show (until the time-out cancels it).
AFTER_PAYMENT = {"demo-alice-1": "ship", "demo-alice-2": "", "demo-bob-1": "receive", "demo-bob-2": "ship"}


def pay(order: Order) -> None:
    payment = services.start_payment(order, order.shopper)
    if payment is None:
        return
    get_gateway(payment.gateway).complete(payment.reference, "pay")
    delivery = CallbackDelivery.objects.filter(payment=payment).order_by("-pk").first()
    # The worker would POST this; the demo applies it directly so seeding needs no running worker.
    services.handle_callback(delivery.payload.encode(), delivery.signature)
    CallbackDelivery.objects.filter(pk=delivery.pk).update(attempts=1, last_status=200, acknowledged_at=timezone.now())


def seed(stdout):
    done = 0
    for key, after in AFTER_PAYMENT.items():
        order = Order.objects.filter(idempotency_key=key).first()
        if order is None or order.status != Order.Status.AWAITING_PAYMENT:
            continue
        pay(order)
        for index, suborder in enumerate(order.suborders.filter(state=SubOrder.State.AWAITING_SHIPMENT)):
            if after in ("ship", "receive") and not suborder.is_pickup:
                order_services.ship(
                    suborder, actor=None, carrier="顺丰速运 SF Express", tracking_number=f"SF10{suborder.pk:08d}{index}"
                )
            if after == "receive":
                order_services.confirm_receipt(suborder, shopper=order.shopper)
        done += 1
    stdout.write(f"payments: {done} demo orders paid through the sandbox gateway")
    return []
