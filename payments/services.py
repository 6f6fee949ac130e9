"""Starting payments and handling the gateway's callbacks. Thin views and APIs call these.

The callback is the only thing that marks an order paid. It is idempotent (a replay acknowledges and changes
nothing), refuses a bad signature or an amount that differs from the payment (400, nothing changes), and refunds
money that arrives for an order that can no longer take it (cancelled by the time-out, or already paid).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders import services as order_services
from orders.events import why
from orders.lock_objects import locked_order
from orders.models import Order
from payments import ledger
from payments.gateway import InvalidSignature, get_gateway
from payments.lock_objects import locked_payment
from payments.models import CallbackDelivery, Payment, PaymentCallback

log = logging.getLogger(__name__)


def notify_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("payments-callback")


def redeliver(delivery_id: int) -> CallbackDelivery:
    """An operator re-sends a stuck gateway notification: it now goes to the platform's current callback address
    (the one stored with the payment may be stale: the server moved to another host or port) and a fresh retry
    chain starts. Sending twice is safe, the callback is idempotent."""
    from payments.tasks import deliver_callback

    with transaction.atomic():
        delivery = CallbackDelivery.objects.select_related("payment").filter(pk=delivery_id).first()
        if delivery is None:
            raise DomainError(_("Not found."), code="not_found", status_code=404)
        payment = locked_payment(delivery.payment)
        delivery.refresh_from_db()
        if delivery.acknowledged_at is not None:
            raise DomainError(
                _("This notification was already acknowledged."), code="already_acknowledged", status_code=409
            )
        current = notify_url()
        if payment.notify_url != current:
            payment.notify_url = current
            payment.save(update_fields=["notify_url"])
        transaction.on_commit(lambda: deliver_callback.delay(delivery.pk))
    return delivery


def start_payment(order: Order, shopper) -> Payment | None:
    """Open a payment for an unpaid order (the shopper is then redirected to the gateway's page).

    Returns None when nothing is owed (a fully discounted order is paid at once). The order row is locked, so a
    payment never starts for an order the time-out is cancelling at the same moment."""
    if order.shopper_id != shopper.pk:
        raise DomainError(_("Not found."), code="not_found", status_code=404)
    with transaction.atomic():
        order = locked_order(order)
        if order.status == Order.Status.CANCELLED:
            raise DomainError(
                _("This order was cancelled and can no longer be paid."), code="order_cancelled", status_code=409
            )
        if order.status == Order.Status.PAID:
            raise DomainError(_("This order is already paid."), code="already_paid", status_code=409)
        if order.expires_at <= timezone.now():
            raise DomainError(_("The time to pay this order is over."), code="payment_expired", status_code=409)
        if order.payable == 0:
            order_services.mark_order_paid(order, reference="free")
            return None
        waiting = order.payments.filter(status=Payment.Status.PENDING, sandbox_outcome="", amount=order.payable).first()
        if waiting:
            return waiting
        return get_gateway().create_payment(order, order.payable, notify_url())


@dataclass(frozen=True)
class CallbackResult:
    status_code: int
    message: str


def handle_callback(body: bytes, signature: str, gateway_name: str = "sandbox") -> CallbackResult:
    """Verify and apply one gateway notification; every call is recorded in PaymentCallback."""
    gateway = get_gateway(gateway_name)
    try:
        payload = gateway.verify(body, signature)
    except InvalidSignature as exc:
        return record(None, body, signature, False, 400, f"rejected: {exc}")
    payment = Payment.objects.filter(reference=str(payload.get("reference", ""))).first()
    if payment is None:
        return record(None, body, signature, False, 400, "rejected: unknown payment reference")
    try:
        amount = Decimal(str(payload.get("amount")))
    except InvalidOperation:
        return record(payment, body, signature, False, 400, "rejected: amount is not a number")
    if amount != payment.amount:
        return record(payment, body, signature, False, 400, f"rejected: amount {amount} != {payment.amount}")
    status = payload.get("status")
    if status == "succeeded":
        message = apply_success(payment)
    elif status == "failed":
        message = apply_failure(payment)
    else:
        return record(payment, body, signature, False, 400, f"rejected: unknown status {status!r}")
    return record(payment, body, signature, True, 200, message)


def storable_text(text: str) -> str:
    """PostgreSQL text cannot hold NUL; a forged callback may carry it anywhere."""
    return text.replace("\x00", "\ufffd")


def record(payment, body: bytes, signature: str, accepted: bool, status_code: int, outcome: str) -> CallbackResult:
    PaymentCallback.objects.create(
        payment=payment,
        body=storable_text(body.decode("utf-8", "replace"))[:10000],
        signature=storable_text(signature or "")[:256],
        accepted=accepted,
        outcome=storable_text(outcome)[:200],
    )
    if not accepted:
        log.warning("payment callback %s", outcome)
    return CallbackResult(status_code, outcome)


def apply_failure(payment: Payment) -> str:
    with transaction.atomic():
        payment = locked_payment(payment)
        if payment.status != Payment.Status.PENDING:
            return f"already {payment.status}"
        payment.status = Payment.Status.FAILED
        payment.completed_at = timezone.now()
        payment.save(update_fields=["status", "completed_at"])
    return "failed"


def apply_success(payment: Payment) -> str:
    with transaction.atomic():
        payment = locked_payment(payment, with_order=True)
        if payment.status in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
            return f"already {payment.status}"  # a replay: acknowledged, nothing changes
        payment.status = Payment.Status.SUCCEEDED
        payment.completed_at = timezone.now()
        payment.save(update_fields=["status", "completed_at"])
        post_payment(payment)
        if order_services.mark_order_paid(payment.order, reference=payment.reference, at=payment.completed_at):
            return "paid"
        refund_unwanted_payment(payment)
        return "refunded: the order could no longer take this payment"


def post_payment(payment: Payment) -> None:
    ledger.post(
        "payment",
        f"Payment {payment.reference} for order {payment.order.number}",
        [(ledger.account(ledger.SHOPPER_PAYMENTS), -payment.amount), (ledger.account(ledger.ESCROW), payment.amount)],
        idempotency_key=f"payment:{payment.reference}",
        reference=payment.reference,
    )


def refund_unwanted_payment(payment: Payment) -> None:
    """Money arrived for a cancelled (or already paid) order: send all of it back, exactly once."""
    order = payment.order
    reason = _("Order %(number)s was %(status)s when the payment arrived") % {
        "number": order.number,
        "status": Order.Status(order.status).label.lower(),
    }
    reference = get_gateway(payment.gateway).refund(payment, payment.amount, f"unwanted:{payment.reference}", reason)
    ledger.post(
        "payment_refund",
        f"Refund {reference} of payment {payment.reference}: {reason}",
        [(ledger.account(ledger.ESCROW), -payment.amount), (ledger.account(ledger.SHOPPER_PAYMENTS), payment.amount)],
        idempotency_key=f"payment_refund:{payment.reference}",
        reference=reference,
    )
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.REFUNDED)
    for suborder in order.suborders.all():
        order_services.record_event(
            suborder,
            "payment_refunded",
            None,
            why("payment_arrived_late", number=order.number, status=order.status),
            {"payment": payment.reference, "refund": reference},
        )
