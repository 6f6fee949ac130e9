"""The payment gateway interface and the sandbox gateway, which behaves like a real one:

1. ``create_payment`` registers a payment and gives a hosted payment page URL (/pay/sandbox/<reference>/);
2. on that page the shopper chooses to pay or to fail (``SandboxGateway.complete``);
3. the gateway then notifies the platform asynchronously: a worker POSTs an HMAC-SHA256-signed JSON body to the
   payment's notify URL and retries with back-off until it gets a 2xx (payments.tasks.deliver_callback);
4. ``refund`` returns money, idempotent per key and never more than was captured.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import to_money
from payments.lock_objects import locked_payment_by_reference, locked_payments
from payments.models import CallbackDelivery, GatewayRefund, Payment

SIGNATURE_HEADER = "X-Sandbox-Signature"


class Gateway(Protocol):
    name: str

    def create_payment(self, order, amount: Decimal, notify_url: str) -> Payment: ...

    def redirect_url(self, payment: Payment) -> str: ...

    def verify(self, body: bytes, signature: str) -> dict: ...

    def refund(self, payment: Payment, amount: Decimal, idempotency_key: str, reason: str = "") -> str: ...

    def refund_many(self, orders: list[RefundOrder]) -> dict[str, str | DomainError]: ...


class InvalidSignature(Exception):
    pass


def sign(body: bytes) -> str:
    return hmac.new(settings.PAYMENT_CALLBACK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def new_reference(prefix: str) -> str:
    return f"{prefix}{timezone.localtime():%y%m%d}{secrets.token_hex(8).upper()}"


class SandboxGateway:
    name = "sandbox"

    def create_payment(self, order, amount: Decimal, notify_url: str) -> Payment:
        return Payment.objects.create(
            order=order, gateway=self.name, reference=new_reference("PAY"), amount=amount, notify_url=notify_url
        )

    def redirect_url(self, payment: Payment) -> str:
        return reverse("payments:sandbox_page", args=[payment.reference])

    def verify(self, body: bytes, signature: str) -> dict:
        if not signature or not hmac.compare_digest(sign(body), signature.strip().lower()):
            raise InvalidSignature("bad signature")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidSignature("body is not JSON") from exc
        if not isinstance(payload, dict):
            raise InvalidSignature("body is not a JSON object")
        return payload

    # The hosted page -------------------------------------------------------------------------------------------

    def complete(self, reference: str, outcome: str) -> Payment:
        """The shopper pressed pay or fail on the hosted page. Idempotent: the first choice stands."""
        if outcome not in ("pay", "fail"):
            raise DomainError(_("Choose pay or fail."), code="invalid_outcome")
        with transaction.atomic():
            payment = locked_payment_by_reference(reference)
            if payment is None:
                raise DomainError(_("Unknown payment."), code="not_found", status_code=404)
            if payment.sandbox_outcome:
                return payment
            payment.sandbox_outcome = outcome
            payment.gateway_transaction_id = f"SBX{secrets.token_hex(10).upper()}"
            payment.save(update_fields=["sandbox_outcome", "gateway_transaction_id"])
            body = json.dumps(
                {
                    "reference": payment.reference,
                    "status": "succeeded" if outcome == "pay" else "failed",
                    "amount": f"{payment.amount:.2f}",
                    "transaction_id": payment.gateway_transaction_id,
                    "sent_at": timezone.now().isoformat(),
                },
                sort_keys=True,
            )
            delivery = CallbackDelivery.objects.create(payment=payment, payload=body, signature=sign(body.encode()))
            from payments.tasks import deliver_callback

            transaction.on_commit(lambda: deliver_callback.delay(delivery.pk))
        return payment

    def deliver(self, delivery: CallbackDelivery) -> bool:
        """POST the signed notification once; True when the platform acknowledged it (2xx)."""
        CallbackDelivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1)
        try:
            response = httpx.post(
                delivery.payment.notify_url,
                content=delivery.payload.encode(),
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: delivery.signature},
                timeout=10,
            )
        except httpx.HTTPError as exc:
            CallbackDelivery.objects.filter(pk=delivery.pk).update(last_error=str(exc)[:1000])
            return False
        acknowledged = 200 <= response.status_code < 300
        CallbackDelivery.objects.filter(pk=delivery.pk).update(
            last_status=response.status_code,
            last_error="" if acknowledged else response.text[:1000],
            acknowledged_at=timezone.now() if acknowledged else None,
        )
        return acknowledged

    # Refunds ---------------------------------------------------------------------------------------------------

    def refund(self, payment: Payment, amount, idempotency_key: str, reason: str = "") -> str:
        """Return ``amount`` of a captured payment to the shopper; the same key returns the same refund."""
        outcome = self.refund_many([RefundOrder(payment, amount, idempotency_key, reason)])
        result = outcome[str(idempotency_key or "").strip()]
        if isinstance(result, DomainError):
            raise result
        return result

    def refund_many(self, orders: list[RefundOrder]) -> dict[str, str | DomainError]:
        """Many refunds in one call (a worker paying a batch): idempotency key -> gateway reference, or the error
        that refused that one refund (the others still go through)."""
        results: dict[str, str | DomainError] = {}
        wanted: dict[str, RefundOrder] = {}
        for order in orders:
            key = str(order.idempotency_key or "").strip()
            if not key:
                results[key] = DomainError(_("A refund needs an idempotency key."), code="invalid_key")
            elif to_money(order.amount) <= 0:
                results[key] = DomainError(_("A refund must be more than 0.00."), code="invalid_amount")
            else:
                wanted[key] = order
        for existing in GatewayRefund.objects.filter(idempotency_key__in=list(wanted)):
            results[existing.idempotency_key] = same_refund(existing, wanted.pop(existing.idempotency_key))
        if not wanted:
            return results
        try:
            with transaction.atomic():
                results |= self._create_refunds(wanted)
        except IntegrityError:  # a concurrent call took some of these keys: one by one, each finds its own
            if len(wanted) == 1:
                [(key, order)] = wanted.items()
                existing = GatewayRefund.objects.filter(idempotency_key=key).first()
                if existing is None:
                    raise
                results[key] = same_refund(existing, order)
            else:
                for order in wanted.values():
                    results |= self.refund_many([order])
        return results

    def _create_refunds(self, wanted: dict[str, RefundOrder]) -> dict[str, str | DomainError]:
        payments = locked_payments(order.payment.pk for order in wanted.values())
        refunded = dict(
            GatewayRefund.objects.filter(payment_id__in=list(payments))
            .values("payment_id").annotate(total=Sum("amount")).values_list("payment_id", "total")
        )  # fmt: skip
        results: dict[str, str | DomainError] = {}
        new = []
        for key, order in wanted.items():
            payment, amount = payments[order.payment.pk], to_money(order.amount)
            if payment.status not in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
                results[key] = DomainError(_("Only a captured payment can be refunded."), code="not_captured")
                continue
            if refunded.get(payment.pk, 0) + amount > payment.amount:
                results[key] = DomainError(
                    _("A refund of %(amount)s would return more than the %(paid)s paid.")
                    % {"amount": amount, "paid": payment.amount},
                    code="over_refund",
                )
                continue
            refunded[payment.pk] = refunded.get(payment.pk, 0) + amount
            new.append(GatewayRefund(payment=payment, amount=amount, idempotency_key=key,
                                     reference=new_reference("RFD"), reason=order.reason))  # fmt: skip
        results |= {refund.idempotency_key: refund.reference for refund in GatewayRefund.objects.bulk_create(new)}
        return results


@dataclass(frozen=True)
class RefundOrder:
    payment: Payment
    amount: Decimal
    idempotency_key: str
    reason: str = ""


def same_refund(existing: GatewayRefund, order: RefundOrder) -> str | DomainError:
    """A key seen before: the same refund again returns its reference; a different one under that key is refused."""
    if existing.payment_id != order.payment.pk or existing.amount != to_money(order.amount):
        return DomainError(_("This refund key was already used for a different refund."), code="key_reused")
    return existing.reference


GATEWAYS = {"sandbox": SandboxGateway()}


def get_gateway(name: str = "sandbox") -> SandboxGateway:
    return GATEWAYS[name]


def refund(payment: Payment, amount, idempotency_key: str, reason: str = "") -> str:
    """Refund through the payment's own gateway (what the refunds app calls)."""
    return get_gateway(payment.gateway).refund(payment, amount, idempotency_key, reason)


def refund_many(orders: list[RefundOrder]) -> dict[str, str | DomainError]:
    """Refunds through each payment's own gateway, batched per gateway: key -> reference or the refusing error."""
    results: dict[str, str | DomainError] = {}
    for name in {order.payment.gateway for order in orders}:
        results |= get_gateway(name).refund_many([order for order in orders if order.payment.gateway == name])
    return results
