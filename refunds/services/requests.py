"""Refund requests from shoppers: validation, creation with the policy decision, modification and withdrawal
(what a request would be, amounts and decision, is refunds.services.assessment).

Every write locks the sub-order first, then its order lines (id order), then the request (the project's lock order,
orders.lock_objects), so concurrent requests on the same sub-order serialise and a line's refundable quantity can
never be taken twice.
"""

from __future__ import annotations

import contextlib
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import returns
from logistics.services import late as late_shipments
from marketplace.api import DomainError
from marketplace.money import ZERO
from orders import services as orders
from orders.events import Why, why
from orders.lock_objects import locked_suborder
from orders.models import SubOrder
from refunds.lock_objects import locked_request
from refunds.models import RefundLine, RefundRequest
from refunds.policy import Decision, Policy, Reason
from refunds.services import assessment, clock, policies
from shops.models import Category

Status = RefundRequest.Status


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status_code=404)


def _check_suborder(suborder: SubOrder, shopper) -> None:
    if suborder.order.shopper_id != shopper.pk:
        raise not_found()
    if suborder.state == SubOrder.State.CLOSED:
        raise DomainError(_("This order is closed and cannot be refunded."), code="suborder_closed", status_code=409)
    if suborder.state not in assessment.REFUNDABLE_STATES:
        raise DomainError(_("This order has not been paid."), code="not_paid", status_code=409)


def _check_reason(reason: str, description: str) -> str:
    if reason not in RefundRequest.Reason.values:
        raise DomainError(_("Choose a reason for the refund."), code="invalid_reason")
    description = (description or "").strip()
    if reason == RefundRequest.Reason.OTHER and not description:
        raise DomainError(_("Describe the reason for the refund."), code="missing_description")
    return description[:1000]


def review_deadline(suborder: SubOrder, policy: Policy, now) -> datetime.datetime:
    key = "unshipped_review_hours" if suborder.is_unshipped else "shipped_review_hours"
    return now + policy.timeouts.delta(key)


def create_request(
    *,
    shopper,
    suborder_id: int,
    quantities: dict[int, int],
    kind: str = RefundRequest.Kind.REFUND_ONLY,
    reason: str,
    description: str = "",
    idempotency_key: str,
    no_reason: bool = False,
) -> RefundRequest:
    """Open a refund request. The same idempotency key returns the same request (double submit, client retry).

    ``no_reason``: a 7-day no-reason return (7天无理由退货): approved for return at once, or refused (4xx) when the
    store, the category or the 7 days since receipt do not allow it."""
    idempotency_key = (idempotency_key or "").strip()[:80]
    if not idempotency_key:
        raise DomainError(_("A request key is required."), code="missing_idempotency_key")
    existing = _existing(shopper, idempotency_key, suborder_id)
    if existing is not None:
        return existing
    try:
        return _create(shopper, suborder_id, quantities, kind, reason, description, idempotency_key,
                       no_reason=no_reason)  # fmt: skip
    except IntegrityError:
        # A concurrent submission with the same key won the insert.
        existing = _existing(shopper, idempotency_key, suborder_id)
        if existing is None:
            raise
        return existing


def cancel_overdue(*, shopper, suborder_id: int, idempotency_key: str) -> RefundRequest:
    """The store missed its ship-by time and has not shipped: the shopper cancels the sub-order and every unit
    still refundable is refunded in full at once (the instant-refund path, whatever the policy says)."""
    idempotency_key = (idempotency_key or "").strip()[:80]
    if not idempotency_key:
        raise DomainError(_("A request key is required."), code="missing_idempotency_key")
    existing = _existing(shopper, idempotency_key, suborder_id)
    if existing is not None:
        return existing
    _compensate_if_late(shopper, suborder_id)
    try:
        return _create(shopper, suborder_id, None, RefundRequest.Kind.REFUND_ONLY, RefundRequest.Reason.NOT_DELIVERED,
                       "", idempotency_key, overdue_cancel=True)  # fmt: skip
    except IntegrityError:
        existing = _existing(shopper, idempotency_key, suborder_id)
        if existing is None:
            raise
        return existing


def _compensate_if_late(shopper, suborder_id: int) -> None:
    """The store was late whether or not the beat has noticed yet: compensate before the cancel closes the sub-order
    (once: logistics.services.late), so a shopper who cancels right away is compensated and the store's
    late-shipment count includes it. Its own transaction: the lateness stands even if the cancel is refused."""
    suborder = SubOrder.objects.filter(pk=suborder_id, order__shopper_id=shopper.pk).first()
    if suborder is None or not late_shipments.is_overdue(suborder):
        return
    with contextlib.suppress(IntegrityError):  # the beat recorded it at the same moment: theirs stands
        late_shipments.compensate(suborder.pk)


def _existing(shopper, key: str, suborder_id: int) -> RefundRequest | None:
    existing = RefundRequest.objects.filter(shopper=shopper, idempotency_key=key).first()
    if existing is not None and existing.suborder_id != suborder_id:
        raise DomainError(_("This request key was already used for another order."), code="idempotency_key_reused",
                          status_code=409)  # fmt: skip
    return existing


@transaction.atomic
def _create(
    shopper,
    suborder_id,
    quantities,
    kind,
    reason,
    description,
    idempotency_key,
    *,
    overdue_cancel: bool = False,
    no_reason: bool = False,
) -> RefundRequest:
    suborder = SubOrder.objects.filter(pk=suborder_id).select_related("order").first()
    if suborder is None or suborder.order.shopper_id != shopper.pk:
        raise not_found()
    suborder = locked_suborder(suborder)
    _check_suborder(suborder, shopper)
    if no_reason:
        kind, reason = RefundRequest.Kind.RETURN_AND_REFUND, RefundRequest.Reason.NOT_WANTED
    assessment.check_kind(suborder, kind)
    description = _check_reason(reason, description)
    rows = assessment.availability(suborder, lock=True)
    now = timezone.now()
    if overdue_cancel:
        if not late_shipments.is_overdue(suborder, now):
            raise DomainError(_("This order is not past its ship-by time."), code="not_overdue", status_code=409)
        quantities = {row.line.pk: row.refundable_quantity for row in rows if row.refundable_quantity > 0}
    priced = assessment.priced_lines(rows, quantities)
    shipping = assessment.shipping_refund(suborder, rows, priced)
    if no_reason:
        vertical_ids = Category.objects.filter(
            pk__in=[line.sku.product.category_id for line, _quantity, _amount in priced]
        ).values_list("vertical_id", flat=True)
        problem = returns.no_reason_problem(suborder, set(vertical_ids), now)
        if problem:
            raise DomainError(problem, code="no_reason_return_refused", status_code=409)
    version, policy = policies.current_policy()
    decision = assessment.decide(policy, suborder, [line for line, _quantity, _amount in priced], kind, now)
    if overdue_cancel:  # not shipped in time: the shopper's money comes back without the merchant
        decision = Decision(instant=True, reasons=(Reason("ship_by_passed"),))
    request = RefundRequest.objects.create(
        suborder=suborder,
        store_id=suborder.store_id,
        shopper=shopper,
        kind=kind,
        reason=reason,
        description=description,
        amount=sum((amount for _line, _quantity, amount in priced), ZERO) + shipping,
        shipping_amount=shipping,
        status=Status.APPROVED if decision.instant else Status.PENDING_REVIEW,
        instant=decision.instant,
        shipped_when_requested=not suborder.is_unshipped,
        policy_version=version,
        policy_decision=decision.to_json(),
        idempotency_key=idempotency_key,
        approved_at=now if decision.instant else None,
        no_reason=no_reason,
        return_insured=no_reason and returns.insured(suborder),
    )
    if no_reason:  # nothing for the merchant to decide: the shopper sends the goods back
        request.status = Status.AWAITING_RETURN
        deadline = now + policy.timeouts.delta("return_shipment_days")
        request.save(update_fields=["status", *clock.start(request, deadline, now)])
    elif not decision.instant:
        request.save(update_fields=clock.start(request, review_deadline(suborder, policy, now), now))
    RefundLine.objects.bulk_create(
        RefundLine(request=request, order_line=line, quantity=quantity, amount=amount)
        for line, quantity, amount in priced
    )
    orders.set_refund_open(suborder, True)
    orders.record_event(
        suborder,
        "refund_requested",
        shopper,
        why("refund_requested", amount=f"{request.amount:.2f}", reason=request.reason),
        {"refund": request.pk, "amount": f"{request.amount:.2f}", "instant": request.instant, "kind": kind},
    )
    if no_reason:
        orders.record_event(
            suborder, "refund_approved", None, why("no_reason_return"),
            {"refund": request.pk, "no_reason": True},
        )  # fmt: skip
    if decision.instant:
        orders.record_event(
            suborder, "refund_approved", None, why("approved_by_policy"),
            {"refund": request.pk, "policy_version": version.number},
        )  # fmt: skip
        from refunds.services.processing import enqueue

        enqueue(request.pk)
    return request


@transaction.atomic
def modify_request(
    request_id: int, *, shopper, quantities: dict[int, int], kind: str, reason: str, description: str = ""
) -> RefundRequest:
    """After a rejection the shopper may change the request; it goes back to the merchant."""
    request = _locked_for_shopper(request_id, shopper)
    suborder = locked_suborder(request.suborder_id)
    request = locked_request(request.pk)
    if request.status != Status.REJECTED:
        raise DomainError(_("Only a rejected request can be changed."), code="invalid_state", status_code=409)
    if suborder.state == SubOrder.State.CLOSED:
        raise DomainError(_("This order is closed and cannot be refunded."), code="suborder_closed", status_code=409)
    assessment.check_kind(suborder, kind)
    description = _check_reason(reason, description)
    rows = assessment.availability(suborder, exclude_request=request.pk, lock=True)
    priced = assessment.priced_lines(rows, quantities)
    request.shipping_amount = assessment.shipping_refund(suborder, rows, priced)
    policy = policies.policy_of(request.policy_version)
    now = timezone.now()
    request.lines.all().delete()
    RefundLine.objects.bulk_create(
        RefundLine(request=request, order_line=line, quantity=quantity, amount=amount)
        for line, quantity, amount in priced
    )
    request.kind, request.reason, request.description = kind, reason, description
    request.amount = sum((amount for _line, _quantity, amount in priced), ZERO) + request.shipping_amount
    request.status = Status.PENDING_REVIEW
    request.rejection_reason = ""
    clock.start(request, review_deadline(suborder, policy, now), now)
    request.save()
    orders.record_event(
        suborder, "refund_modified", shopper,
        why("refund_changed", amount=f"{request.amount:.2f}"),
        {"refund": request.pk, "amount": f"{request.amount:.2f}", "kind": kind},
    )  # fmt: skip
    return request


@transaction.atomic
def withdraw_request(request_id: int, *, shopper) -> RefundRequest:
    request = _locked_for_shopper(request_id, shopper)
    locked_suborder(request.suborder_id)
    request = locked_request(request.pk)
    if request.status not in (Status.PENDING_REVIEW, Status.REJECTED, Status.AWAITING_RETURN, Status.ESCALATED):
        raise DomainError(_("This request can no longer be withdrawn."), code="invalid_state", status_code=409)
    close(request, actor=shopper, kind="refund_withdrawn", reason=why("shopper_withdrew"))
    return request


def _locked_for_shopper(request_id: int, shopper) -> RefundRequest:
    request = RefundRequest.objects.filter(pk=request_id, shopper=shopper).first()
    if request is None:
        raise not_found()
    return request


def close(request: RefundRequest, *, actor, kind: str, reason: Why) -> None:
    """Close a locked request (sub-order locked too); its quantities become refundable again."""
    request.status = Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", *clock.stop(request), "updated_at"])
    release_refund_open([request.suborder_id])
    orders.record_event(request.suborder, kind, actor, reason, {"refund": request.pk})


def release_refund_open(suborder_ids: list[int]) -> None:
    """Resume the automatic receipt timer of the sub-orders that have no open refund request left."""
    still_open = set(
        RefundRequest.objects.filter(suborder_id__in=suborder_ids, status__in=RefundRequest.OPEN_STATUSES)
        .values_list("suborder_id", flat=True)
    )  # fmt: skip
    orders.set_refund_open_many([pk for pk in suborder_ids if pk not in still_open], False)
