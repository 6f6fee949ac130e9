"""Demo refunds: the policy in force, one refunded and one pending-review request. Runs after orders/payments demos
(settlement's demo settles the received demo order after it); idempotent (fixed request keys)."""

from __future__ import annotations

from orders.models import Order, SubOrder
from refunds.models import RefundRequest
from refunds.services import policies, processing
from refunds.services.requests import create_request

# (order idempotency key, refund key, kind, reason)
DEMO_REFUNDS = [
    ("demo-alice-2", "demo-refund-instant", RefundRequest.Kind.REFUND_ONLY, RefundRequest.Reason.NOT_WANTED),
    ("demo-bob-2", "demo-refund-review", RefundRequest.Kind.RETURN_AND_REFUND, RefundRequest.Reason.WRONG_ITEM),
]


def seed(stdout):
    version = policies.current_version()
    made = 0
    for order_key, refund_key, kind, reason in DEMO_REFUNDS:
        order = Order.objects.filter(idempotency_key=order_key, status=Order.Status.PAID).first()
        if order is None:
            continue
        suborder = order.suborders.exclude(state=SubOrder.State.CLOSED).order_by("pk").first()
        if suborder is None or RefundRequest.objects.filter(shopper=order.shopper, idempotency_key=refund_key).exists():
            continue
        if kind == RefundRequest.Kind.RETURN_AND_REFUND and suborder.is_unshipped:
            kind = RefundRequest.Kind.REFUND_ONLY
        line = suborder.lines.order_by("pk").first()
        refund = create_request(
            shopper=order.shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, kind=kind, reason=reason,
            description="演示退款 demo refund", idempotency_key=refund_key,
        )  # fmt: skip
        if refund.status == RefundRequest.Status.APPROVED:
            processing.pay(refund.pk)  # no worker needed while seeding
        made += 1
    stdout.write(f"refunds: policy v{version.number} in force, {made} demo refund requests")
    return []
