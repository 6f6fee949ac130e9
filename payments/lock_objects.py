"""Row locks on payments' tables. In the project's lock order (written down in orders.lock_objects) a payment is
locked before its order: a gateway callback locks the payment, then marks the order paid. Several payments are
locked in pk order. (Settlement's ledger-account locks live with settlement.)"""

from __future__ import annotations

from collections.abc import Iterable

from payments.models import Payment


def locked_payment(payment: Payment, *, with_order: bool = False) -> Payment:
    rows = Payment.objects.select_for_update()
    if with_order:
        rows = rows.select_related("order")
    return rows.get(pk=payment.pk)


def locked_payment_by_reference(reference: str) -> Payment | None:
    return Payment.objects.select_for_update().filter(reference=reference).first()


def locked_payments(payment_ids: Iterable[int]) -> dict[int, Payment]:
    """pk -> payment, locked in pk order (a batch of gateway refunds)."""
    rows = Payment.objects.select_for_update().filter(pk__in=set(payment_ids)).order_by("pk")
    return {payment.pk: payment for payment in rows}
