"""Paying approved refunds, exactly once. Runs in Celery workers (refunds.tasks) and in the beat sweep.

A committed request in ``approved`` is the outbox: it is a refund the platform owes. Paying it:

1. the gateway refund, keyed by the request id (a retry, a second worker or the sweep gets the same gateway refund,
   never a second one). It happens outside the database transaction, as a call to a real gateway would, so a crash
   right after it leaves the gateway refund in place and the request still ``approved``;
2. then, in one transaction holding the sub-order and request locks: the ledger entry (keyed by the request id),
   stock back on the shelf (only for units never shipped), the request marked ``refunded``, the sub-order closed
   when every unit is refunded (orders.close_suborder gives the coupons back when the whole order closed unshipped).

If step 2 fails or the worker dies, the task is retried (acks_late) and the sweep re-enqueues anything left in
``approved``; step 1 then returns the existing gateway refund and step 2 runs once.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import ZERO
from orders import services as orders
from orders.models import SubOrder
from payments import gateway, ledger
from payments.models import Payment
from refunds.models import RefundLine, RefundRequest
from refunds.services.requests import release_refund_open

log = logging.getLogger(__name__)
Status = RefundRequest.Status

FAULT_KEY = "refunds:fault:{point}:{refund_id}"


def gateway_key(refund_id: int) -> str:
    return f"refund-request:{refund_id}"


def ledger_key(refund_id: int) -> str:
    return f"refund:{refund_id}"


def clawback_key(refund_id: int) -> str:
    return f"refund_clawback:{refund_id}"


def enqueue(refund_id: int) -> None:
    """Queue the payment once the surrounding transaction commits (the row is the outbox; the sweep is the net)."""
    from refunds.tasks import pay_refund

    transaction.on_commit(lambda: _send(pay_refund, refund_id))


def _send(task, refund_id: int) -> None:
    try:
        task.delay(refund_id)
    except Exception:
        log.exception("could not enqueue refund %s; the sweep will retry", refund_id)


def fault(point: str, refund_id: int) -> None:
    """Test hook: a key in the shared cache makes a worker fail ("fail") or stall ("sleep:<s>") at `point`, once."""
    value = cache.get(FAULT_KEY.format(point=point, refund_id=refund_id))
    if not value:
        return
    cache.delete(FAULT_KEY.format(point=point, refund_id=refund_id))
    if value == "fail":
        raise RuntimeError(f"injected failure at {point} for refund {refund_id}")
    if str(value).startswith("sleep:"):
        time.sleep(float(str(value).split(":", 1)[1]))


def captured_payment(order_id: int) -> Payment:
    payment = (
        Payment.objects.filter(order_id=order_id, status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED])
        .order_by("pk")
        .first()
    )
    if payment is None:
        raise DomainError(_("The order has no captured payment to refund."), code="no_payment")
    return payment


def pay(refund_id: int) -> str:
    """Pay one approved refund. Idempotent: returns "refunded", "already_refunded" or "not_approved"."""
    request = RefundRequest.objects.select_related("suborder").filter(pk=refund_id).first()
    if request is None or request.status == Status.REFUNDED:
        return "already_refunded" if request else "missing"
    if request.status != Status.APPROVED:
        return "not_approved"
    reference = ""
    if request.amount > 0:
        payment = captured_payment(request.suborder.order_id)
        reference = gateway.refund(
            payment, request.amount, gateway_key(request.pk), reason=f"refund #{request.pk} of {request.suborder}"
        )
    fault("after_gateway", request.pk)
    return _finish(request.pk, request.suborder_id, reference)


@transaction.atomic
def _finish(refund_id: int, suborder_id: int, reference: str) -> str:
    suborder = orders.locked_suborder(suborder_id)
    request = RefundRequest.objects.select_for_update().get(pk=refund_id)
    if request.status == Status.REFUNDED:
        return "already_refunded"
    if request.status != Status.APPROVED:
        return "not_approved"
    never_shipped = suborder.shipped_at is None and suborder.state == SubOrder.State.AWAITING_SHIPMENT
    clawback = _post_ledger(request, suborder)
    fault("after_ledger", request.pk)
    now = timezone.now()
    request.status = Status.REFUNDED
    request.refunded_at = now
    request.gateway_reference = reference
    request.clawed_back = clawback
    request.last_error = ""
    request.save(update_fields=["status", "refunded_at", "gateway_reference", "clawed_back", "last_error",
                                "updated_at"])  # fmt: skip
    orders.record_event(
        suborder, "refund_paid", None,
        _("%(amount)s refunded to the shopper") % {"amount": f"{request.amount:.2f}"},
        {"refund": request.pk, "amount": f"{request.amount:.2f}", "gateway_reference": reference,
         "clawed_back": f"{clawback:.2f}"},
    )  # fmt: skip
    release_refund_open(suborder.pk)
    if fully_refunded(suborder):
        if suborder.state == SubOrder.State.COMPLETED:
            # Settled and then refunded in full: the money came back from the store; completed stays final.
            orders.record_event(suborder, "fully_refunded", None, _("Every item was refunded after settlement"))
        else:
            orders.close_suborder(suborder, None, _("Every item was refunded"))
    if never_shipped:
        # Last, so the stock row (hot when many refunds hit one SKU) stays locked only until the commit.
        _restock(request)
    return "refunded"


def _post_ledger(request: RefundRequest, suborder: SubOrder):
    """Escrow pays the shopper back. Once the sub-order is settled, the store's payable first returns the amount to
    escrow (a clawback), so every refund to a shopper leaves through escrow and escrow flows stay traceable."""
    if request.amount <= 0:
        return ZERO
    from payments.settlement import is_settled

    escrow = ledger.account(ledger.ESCROW)
    clawback = ZERO
    # Only settlement completes a sub-order, in the same transaction as its Settlement row.
    if suborder.state == SubOrder.State.COMPLETED and is_settled(suborder.pk):
        clawback = request.amount
        ledger.post(
            "refund_clawback",
            f"Refund #{request.pk} of {suborder.number} after settlement, taken back from the store",
            [(ledger.store_payable(suborder.store_id), -clawback), (escrow, clawback)],
            idempotency_key=clawback_key(request.pk),
            reference=suborder.number,
        )
    ledger.post(
        "refund",
        f"Refund #{request.pk} of {suborder.number}",
        [(escrow, -request.amount), (ledger.account(ledger.SHOPPER_PAYMENTS), request.amount)],
        idempotency_key=ledger_key(request.pk),
        reference=suborder.number,
    )
    return clawback


def _restock(request: RefundRequest) -> None:
    """Units never shipped go back on the shelf; shipped goods come back through the merchant, not the stock."""
    for line in request.lines.select_for_update().filter(restocked=False).select_related("order_line"):
        orders.restock_line(line.order_line, line.quantity)
        RefundLine.objects.filter(pk=line.pk).update(restocked=True)


def fully_refunded(suborder: SubOrder) -> bool:
    refunded = dict(
        RefundLine.objects.filter(request__suborder=suborder, request__status=Status.REFUNDED)
        .values("order_line")
        .annotate(quantity=Sum("quantity"))
        .values_list("order_line", "quantity")
    )
    return all(refunded.get(line_id, 0) >= quantity for line_id, quantity in
               suborder.lines.values_list("pk", "quantity"))  # fmt: skip


def record_failure(refund_id: int, error: str) -> None:
    RefundRequest.objects.filter(pk=refund_id, status=Status.APPROVED).update(
        attempts=F("attempts") + 1, last_error=error[:2000]
    )


def sweep(older_than_seconds: int = 30, limit: int = 1000) -> int:
    """Beat: re-enqueue approved refunds not paid after `older_than_seconds` (lost message, dead worker)."""
    from refunds.tasks import pay_refund

    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        RefundRequest.objects.filter(status=Status.APPROVED, approved_at__lte=cutoff)
        .order_by("approved_at")
        .values_list("pk", flat=True)[:limit]
    )
    for refund_id in ids:
        _send(pay_refund, refund_id)
    return len(ids)
