"""What a refund request of a sub-order would be, before anything is written: the units and amounts still
refundable on each line (what open and paid requests hold), the amounts of a selection and the shipping fee that
goes back with it, the refund policy's decision, and the prediction a shopper sees before submitting. Reads only;
refunds.services.requests writes the requests with the same functions, under its locks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import ZERO
from orders.lock_objects import locked_order_lines
from orders.models import OrderLine, SubOrder
from refunds.amounts import AmountError, refundable_amount
from refunds.models import RefundLine, RefundRequest
from refunds.policy import Decision, Policy, Reason, RefundCase, evaluate
from refunds.services import policies
from shops.models import Category

Status = RefundRequest.Status
REFUNDABLE_STATES = (
    SubOrder.State.AWAITING_SHIPMENT,
    SubOrder.State.SHIPPED,
    SubOrder.State.RECEIVED,
    SubOrder.State.COMPLETED,
)


@dataclass
class LineAvailability:
    line: OrderLine
    taken_quantity: int
    taken_amount: Decimal
    refunded_quantity: int = 0  # of taken_quantity, the units whose money went back (the rest is requested)

    @property
    def requested_quantity(self) -> int:
        """Units held by a refund request still open (asked for, not paid back yet)."""
        return self.taken_quantity - self.refunded_quantity

    @property
    def refundable_quantity(self) -> int:
        return self.line.quantity - self.taken_quantity

    @property
    def refundable_amount(self) -> Decimal:
        return max(self.line.payable - self.taken_amount, ZERO)


def availability(suborder: SubOrder, *, exclude_request: int | None = None, lock: bool = False):
    """Each line of the sub-order with the quantity and amount already held by refunds (not closed ones)."""
    lines = OrderLine.objects.filter(suborder=suborder).select_related("sku__product").order_by("pk")
    if lock:
        lines = locked_order_lines(lines)
    held = RefundLine.objects.filter(order_line__suborder=suborder, request__status__in=RefundRequest.HOLDING_STATUSES)
    if exclude_request:
        held = held.exclude(request_id=exclude_request)
    taken = {
        row["order_line"]: row
        for row in held.values("order_line").annotate(quantity=Sum("quantity"), amount=Sum("amount"))
    }
    refunded = dict(
        held.filter(request__status=Status.REFUNDED)
        .values("order_line")
        .annotate(quantity=Sum("quantity"))
        .values_list("order_line", "quantity")
    )
    return [
        LineAvailability(
            line,
            taken.get(line.pk, {}).get("quantity") or 0,
            taken.get(line.pk, {}).get("amount") or ZERO,
            refunded.get(line.pk) or 0,
        )
        for line in lines
    ]


def priced_lines(rows: list[LineAvailability], quantities: dict[int, int]) -> list[tuple[OrderLine, int, Decimal]]:
    by_id = {row.line.pk: row for row in rows}
    priced = []
    for line_id, quantity in sorted(quantities.items()):
        row = by_id.get(line_id)
        if row is None:
            raise DomainError(_("Item %(id)s is not part of this order.") % {"id": line_id}, code="unknown_line")
        if not isinstance(quantity, int) or quantity < 1:
            raise DomainError(_("Quantities must be whole numbers of at least 1."), code="invalid_quantity")
        try:
            amount = refundable_amount(
                line_payable=row.line.payable,
                line_quantity=row.line.quantity,
                taken_quantity=row.taken_quantity,
                taken_amount=row.taken_amount,
                quantity=quantity,
            )
        except AmountError:
            raise DomainError(
                _("Only %(left)s of “%(title)s” can still be refunded.")
                % {"left": row.refundable_quantity, "title": row.line.title},
                code="over_refund",
            ) from None
        priced.append((row.line, quantity, amount))
    if not priced:
        raise DomainError(_("Choose at least one item and quantity to refund."), code="no_lines")
    return priced


def shipping_refund(suborder: SubOrder, rows: list[LineAvailability], priced) -> Decimal:
    """An unshipped sub-order refunded to its last unit returns its shipping fee too (nothing was sent)."""
    if not suborder.is_unshipped or not suborder.shipping_fee:
        return ZERO
    asked = {line.pk: quantity for line, quantity, _amount in priced}
    if all(asked.get(row.line.pk, 0) == row.refundable_quantity for row in rows):
        return suborder.shipping_fee
    return ZERO


def category_ids(lines) -> frozenset[int]:
    """The categories of the lines with every ancestor, so an excluded vertical covers its subcategories."""
    ids: set[int] = set()
    frontier = {line.sku.product.category_id for line in lines}
    while frontier:
        ids |= frontier
        parents = set(
            Category.objects.filter(pk__in=frontier, parent__isnull=False).values_list("parent_id", flat=True)
        )
        frontier = parents - ids
    return frozenset(ids)


def case_for(suborder: SubOrder, lines, requested_at: datetime.datetime) -> RefundCase:
    return RefundCase(
        brand=suborder.store.brand,
        shipped=not suborder.is_unshipped,
        suborder_amount=suborder.payable,
        paid_at=suborder.paid_at or suborder.order.paid_at or requested_at,
        requested_at=requested_at,
        category_ids=category_ids(lines),
    )


def decide(policy: Policy, suborder: SubOrder, lines, kind: str, requested_at) -> Decision:
    return decide_case(policy, case_for(suborder, lines, requested_at), kind)


def decide_case(policy: Policy, case: RefundCase, kind: str) -> Decision:
    """The policy's decision for a request of ``kind`` on ``case`` (also the dry run's, for past requests)."""
    decision = evaluate(policy, case)
    if kind == RefundRequest.Kind.RETURN_AND_REFUND and decision.instant:
        # Goods to send back are the merchant's to check, whatever the policy says.
        return Decision(instant=False, reasons=(Reason("goods_to_return"),))
    return decision


def predict(suborder: SubOrder, quantities: dict[int, int], kind: str, *, strict: bool = False) -> Decision | None:
    """What ``create_request`` would decide for these items now (the same policy in force and the same
    evaluation), shown before the shopper submits. When the selection cannot be requested: None, or with
    ``strict`` the DomainError the request would raise."""
    try:
        if suborder.state not in REFUNDABLE_STATES:
            raise DomainError(_("This order cannot be refunded now."), code="not_refundable", status_code=409)
        check_kind(suborder, kind)
        priced = priced_lines(availability(suborder), quantities)
    except DomainError:
        if strict:
            raise
        return None
    _version, policy = policies.current_policy()
    return decide(policy, suborder, [line for line, _quantity, _amount in priced], kind, timezone.now())


def kinds_offered(suborder: SubOrder) -> list[str]:
    """Return and refund only once something has shipped: before that there is nothing to send back."""
    if suborder.is_unshipped:
        return [RefundRequest.Kind.REFUND_ONLY]
    return list(RefundRequest.Kind.values)


def check_kind(suborder: SubOrder, kind: str) -> None:
    if kind not in RefundRequest.Kind.values:
        raise DomainError(_("Choose refund only or return and refund."), code="invalid_kind")
    if kind == RefundRequest.Kind.RETURN_AND_REFUND and suborder.is_unshipped:
        raise DomainError(_("Nothing has been shipped yet, so there is nothing to return."), code="nothing_to_return")
