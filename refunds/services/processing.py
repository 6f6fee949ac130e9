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
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.api import DomainError
from marketplace.money import ZERO
from orders import services as orders
from orders.events import why
from orders.lock_objects import locked_suborders
from orders.models import SubOrder
from orders.selectors import fully_refunded
from payments import gateway, ledger
from payments.models import Payment
from refunds.lock_objects import locked_lines_to_restock, locked_requests
from refunds.models import RefundLine, RefundRequest
from refunds.services.requests import release_refund_open

log = logging.getLogger(__name__)
Status = RefundRequest.Status

FAULT_KEY = "refunds:fault:{point}:{refund_id}"
# A worker pays up to this many waiting refunds per round (one gateway call, one transaction).
BATCH_SIZE = 100
# Advisory-lock keys of refunds being paid: this offset plus the refund id (ids stay far below it).
CLAIM_LOCKS = 0x52EF << 40
# A refund another worker is paying is looked at again after this long (its batch is over by then).
CLAIMED_RETRY_SECONDS = 5


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


def fault(point: str, refund_ids: list[int]) -> None:
    """Test hook: a key in the shared cache makes a worker fail ("fail") or stall ("sleep:<s>") at `point`, once.
    One cache round trip per batch."""
    keys = [FAULT_KEY.format(point=point, refund_id=refund_id) for refund_id in refund_ids]
    for key, value in cache.get_many(keys).items():
        cache.delete(key)
        if value == "fail":
            raise RuntimeError(f"injected failure at {key}")
        if str(value).startswith("sleep:"):
            time.sleep(float(str(value).split(":", 1)[1]))


def captured_payments(order_ids: set[int]) -> dict[int, Payment]:
    """order id -> the payment a refund goes back to (the first captured one)."""
    found: dict[int, Payment] = {}
    captured = Payment.objects.filter(
        order_id__in=order_ids, status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED]
    ).order_by("pk")
    for payment in captured:
        found.setdefault(payment.order_id, payment)
    return found


def pay(refund_id: int) -> str:
    """Pay one approved refund. Idempotent: "refunded", "already_refunded", "not_approved", "missing", or
    "claimed" when another worker is paying it right now."""
    return pay_batch(refund_id, batch_size=1)


def pay_batch(refund_id: int, batch_size: int = BATCH_SIZE) -> str:
    """Pay ``refund_id`` and, in the same round trips, up to ``batch_size - 1`` other fresh approved refunds that
    are waiting (a burst drains in batches). Returns the outcome for ``refund_id`` (see ``pay``)."""
    status = RefundRequest.objects.filter(pk=refund_id).values_list("status", flat=True).first()
    if status is None:
        return "missing"
    if status == Status.REFUNDED:
        return "already_refunded"
    if status != Status.APPROVED:
        return "not_approved"
    batch = claim(refund_id, batch_size)
    if refund_id not in batch:
        return "claimed"
    try:
        outcomes = _pay_claimed(batch)
    finally:
        unclaim(batch)
    return outcomes[refund_id]


def claim(refund_id: int, batch_size: int) -> list[int]:
    """Take ``refund_id`` and up to ``batch_size - 1`` other approved refunds never attempted before (one that
    failed is retried alone, so it cannot hold a batch back) that no other worker is paying.

    A claim is a PostgreSQL session advisory lock: a worker that dies (or loses its connection) lets go at once,
    so nothing waits for a time-out. Returns [] when another worker holds ``refund_id``."""
    others = list(
        RefundRequest.objects.filter(status=Status.APPROVED, attempts=0)
        .exclude(pk=refund_id)
        .order_by("pk")
        .values_list("pk", flat=True)[: 2 * (batch_size - 1)]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s + %s)", [CLAIM_LOCKS, refund_id])
        if not cursor.fetchone()[0]:
            return []
        cursor.execute(
            "SELECT id FROM unnest(%s::bigint[]) AS id WHERE pg_try_advisory_lock(%s + id)", [others, CLAIM_LOCKS]
        )
        taken = [row[0] for row in cursor.fetchall()]
    unclaim(taken[batch_size - 1 :])
    return [refund_id, *taken[: batch_size - 1]]


def unclaim(refund_ids: list[int]) -> None:
    if refund_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s + id) FROM unnest(%s::bigint[]) AS id", [CLAIM_LOCKS, refund_ids]
            )


def _pay_claimed(batch: list[int]) -> dict[int, str]:
    """Step 1, the gateway refunds (outside any transaction, as with a real gateway), then step 2 in one
    transaction for the whole batch. A refund the gateway refuses is recorded as a failure and left approved."""
    requests = list(RefundRequest.objects.filter(pk__in=batch).select_related("suborder"))
    payments = captured_payments({request.suborder.order_id for request in requests if request.amount > 0})
    orders_to_send, references, outcomes = {}, {}, {}
    for request in requests:
        if request.amount <= 0:
            references[request.pk] = ""
        elif request.suborder.order_id not in payments:
            record_failure(request.pk, "The order has no captured payment to refund.")
            outcomes[request.pk] = "failed"
        else:
            orders_to_send[gateway_key(request.pk)] = (request.pk, gateway.RefundOrder(
                payments[request.suborder.order_id], request.amount, gateway_key(request.pk),
                reason=f"refund #{request.pk} of {request.suborder}",
            ))  # fmt: skip
    results = gateway.refund_many([order for _pk, order in orders_to_send.values()]) if orders_to_send else {}
    for key, (refund_id, _order) in orders_to_send.items():
        result = results[key]
        if isinstance(result, DomainError):
            record_failure(refund_id, result.message)
            outcomes[refund_id] = "failed"
        else:
            references[refund_id] = result
    fault("after_gateway", list(references))
    return outcomes | (_finish(references) if references else {})


@transaction.atomic
def _finish(references: dict[int, str]) -> dict[int, str]:
    """Ledger, stock, request and sub-order updates for refunds whose gateway refund is done (refund id ->
    gateway reference), with the sub-orders locked first and then the requests, in id order."""
    suborder_ids = RefundRequest.objects.filter(pk__in=list(references)).values_list("suborder_id", flat=True)
    suborders = locked_suborders(suborder_ids)
    outcomes: dict[int, str] = {}
    payable: list[RefundRequest] = []
    for request in locked_requests(references):
        if request.status == Status.REFUNDED:
            outcomes[request.pk] = "already_refunded"
        elif request.status != Status.APPROVED:
            outcomes[request.pk] = "not_approved"
        else:
            request.suborder = suborders[request.suborder_id]
            payable.append(request)
    if not payable:
        return outcomes
    never_shipped = [request for request in payable if request.suborder.is_unshipped]
    clawbacks = _post_ledger(payable)
    fault("after_ledger", [request.pk for request in payable])
    now = timezone.now()
    for request in payable:
        request.status, request.refunded_at, request.updated_at = Status.REFUNDED, now, now
        request.gateway_reference, request.clawed_back, request.last_error = (
            references[request.pk],
            clawbacks.get(request.pk, ZERO),
            "",
        )
        outcomes[request.pk] = "refunded"
    RefundRequest.objects.bulk_update(payable, ["status", "refunded_at", "updated_at", "gateway_reference",
                                                "clawed_back", "last_error"])  # fmt: skip
    orders.record_events([
        orders.Event(request.suborder, "refund_paid", None,
                     why("refunded_to_shopper", amount=f"{request.amount:.2f}"),
                     {"refund": request.pk, "amount": f"{request.amount:.2f}",
                      "gateway_reference": request.gateway_reference, "clawed_back": f"{request.clawed_back:.2f}"})
        for request in payable
    ])  # fmt: skip
    touched = {request.suborder_id: request.suborder for request in payable}
    release_refund_open(list(touched))
    done = [touched[pk] for pk in fully_refunded(list(touched))]
    for suborder in (suborder for suborder in done if suborder.state == SubOrder.State.COMPLETED):
        # Settled and then refunded in full: the money came back from the store; completed stays final.
        orders.record_event(suborder, "fully_refunded", None, why("fully_refunded_after_settlement"))
    closing = [suborder for suborder in done if suborder.state != SubOrder.State.COMPLETED]
    orders.close_suborders(closing, None, why("every_item_refunded"))
    # Last, so the stock rows (hot when many refunds hit one SKU) stay locked only until the commit.
    _restock(never_shipped)
    return outcomes


def _post_ledger(requests: list[RefundRequest]) -> dict[int, object]:
    """Escrow pays each shopper back. Once a sub-order is settled, the store's payable first returns the amount to
    escrow (a clawback), so every refund to a shopper leaves through escrow and escrow flows stay traceable.
    Returns refund id -> amount clawed back (only those with one)."""
    paying = [request for request in requests if request.amount > 0]
    if not paying:
        return {}
    escrow, shoppers = ledger.account(ledger.ESCROW), ledger.account(ledger.SHOPPER_PAYMENTS)
    entries, clawbacks = [], {}
    for request in paying:
        suborder = request.suborder
        # Only settlement completes a sub-order, in the same transaction as its Settlement row.
        if suborder.state == SubOrder.State.COMPLETED and _is_settled(suborder.pk):
            clawbacks[request.pk] = request.amount
            entries.append(ledger.EntrySpec(
                "refund_clawback",
                f"Refund #{request.pk} of {suborder.number} after settlement, taken back from the store",
                ((ledger.store_payable(suborder.store_id), -request.amount), (escrow, request.amount)),
                clawback_key(request.pk), suborder.number,
            ))  # fmt: skip
        entries.append(ledger.EntrySpec(
            "refund", f"Refund #{request.pk} of {suborder.number}",
            ((escrow, -request.amount), (shoppers, request.amount)), ledger_key(request.pk), suborder.number,
        ))  # fmt: skip
    ledger.post_many(entries)
    return clawbacks


def _is_settled(suborder_id: int) -> bool:
    """Settlement sits above refunds: its row is read through the sub-order's reverse relation, not imported."""
    return SubOrder.objects.filter(pk=suborder_id, settlement__isnull=False).exists()


def _restock(requests: list[RefundRequest]) -> None:
    """Units never shipped go back on the shelf; shipped goods come back through the merchant, not the stock."""
    if not requests:
        return
    lines = locked_lines_to_restock(requests)
    if not lines:
        return
    orders.restock_lines([(line.order_line, line.quantity) for line in lines])
    RefundLine.objects.filter(pk__in=[line.pk for line in lines]).update(restocked=True)


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
