"""The review path: the merchant approves or rejects, returns, escalation to an operator, and the beat time-outs.

Each transition locks the sub-order then the request (the same order as requests.py), checks the state, writes the
request and records an event on the sub-order's timeline.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import carriers
from marketplace.api import DomainError
from marketplace.money import ZERO
from orders import services as orders
from orders.events import Why, why
from orders.lock_objects import locked_suborder, try_lock_suborder
from refunds.lock_objects import locked_request
from refunds.models import RefundRequest
from refunds.services import clock, insurance, policies
from refunds.services.requests import close, not_found

log = logging.getLogger(__name__)
Status = RefundRequest.Status


def _lock(request_id: int, *, store_ids=None, shopper=None) -> RefundRequest:
    """Lock the sub-order and the request; scope by the merchant's stores or the shopper (else 404)."""
    scope = RefundRequest.objects.filter(pk=request_id)
    if store_ids is not None:
        scope = scope.filter(store_id__in=store_ids)
    if shopper is not None:
        scope = scope.filter(shopper=shopper)
    suborder_id = scope.values_list("suborder_id", flat=True).first()
    if suborder_id is None:
        raise not_found()
    locked_suborder(suborder_id)
    return locked_request(request_id, with_related=True)


def _require(request: RefundRequest, *statuses) -> None:
    if request.status not in statuses:
        raise DomainError(
            _("This refund is %(status)s; that cannot be done now.") % {"status": request.get_status_display()},
            code="invalid_state",
            status_code=409,
        )


def _event(request: RefundRequest, kind: str, actor, reason: Why, **data) -> None:
    orders.record_event(request.suborder, kind, actor, reason, {"refund": request.pk, **data})


def _approve(request: RefundRequest, *, actor, reason: Why, kind: str = "refund_approved") -> None:
    """Approve a locked request: pay it (refund only, or the return has arrived) or wait for the return."""
    now = timezone.now()
    needs_return = request.kind == RefundRequest.Kind.RETURN_AND_REFUND and request.status not in (
        Status.RETURN_SHIPPED,
    )
    if needs_return and not request.return_tracking_number:
        policy = policies.policy_of(request.policy_version)
        request.status = Status.AWAITING_RETURN
        fields = clock.start(request, now + policy.timeouts.delta("return_shipment_days"), now)
        request.save(update_fields=["status", *fields, "updated_at"])
        _event(request, kind, actor, Why(reason.code, reason.params, (*reason.also, "waiting_for_return")))
        return
    if request.status == Status.RETURN_SHIPPED:  # the goods are back: 运费险 pays the postage (once)
        insurance.pay(request)
    request.status = Status.APPROVED
    request.approved_at = now
    request.save(update_fields=["status", "approved_at", *clock.stop(request), "updated_at"])
    _event(request, kind, actor, reason)
    from refunds.services.processing import enqueue

    enqueue(request.pk)


@transaction.atomic
def merchant_approve(request_id: int, *, actor, store_ids) -> RefundRequest:
    request = _lock(request_id, store_ids=store_ids)
    _require(request, Status.PENDING_REVIEW)
    _approve(request, actor=actor, reason=why("merchant_approved"))
    return request


@transaction.atomic
def merchant_reject(request_id: int, *, actor, store_ids, reason: str) -> RefundRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("A rejection needs a reason."), code="missing_reason")
    request = _lock(request_id, store_ids=store_ids)
    _require(request, Status.PENDING_REVIEW, Status.RETURN_SHIPPED)
    _reject(request, actor=actor, reason=reason[:1000])
    return request


def _reject(request: RefundRequest, *, actor, reason: Why | str, kind: str = "refund_rejected") -> None:
    """``reason``: the merchant's own words, or a code when the platform rejects on a rule (a time-out)."""
    policy = policies.policy_of(request.policy_version)
    request.status = Status.REJECTED
    request.rejection_reason = reason if isinstance(reason, str) else ""
    now = timezone.now()
    fields = clock.start(request, now + policy.timeouts.delta("rejected_response_days"), now)
    request.save(update_fields=["status", "rejection_reason", *fields, "updated_at"])
    _event(request, kind, actor, why("refund_rejected", reason=reason) if isinstance(reason, str) else reason)


@transaction.atomic
def submit_return_shipment(
    request_id: int, *, shopper, carrier: str, tracking_number: str, postage=None
) -> RefundRequest:
    """The shopper sent the goods back; ``postage`` is what they paid (refunded by 运费险 when the store has it)."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise DomainError(_("Enter the carrier and the return tracking number."), code="missing_tracking")
    known = carriers.find(carrier)
    if known is None:
        raise DomainError(_("Choose a carrier from the list."), code="unknown_carrier")
    carrier = known.code
    postage = _postage(postage)
    request = _lock(request_id, shopper=shopper)
    if request.status == Status.RETURN_SHIPPED and request.return_tracking_number == tracking_number:
        return request  # a repeated click
    _require(request, Status.AWAITING_RETURN)
    policy = policies.policy_of(request.policy_version)
    request.return_carrier, request.return_tracking_number = carrier[:60], tracking_number[:60]
    request.return_postage = postage if request.return_insured else ZERO
    request.status = Status.RETURN_SHIPPED
    now = timezone.now()
    fields = clock.start(request, now + policy.timeouts.delta("return_receipt_days"), now)
    request.save(update_fields=["return_carrier", "return_tracking_number", "return_postage", "status", *fields,
                                "updated_at"])  # fmt: skip
    _event(
        request, "return_shipped", shopper,
        why("return_sent", carrier=carrier, number=tracking_number),
        carrier=carrier, tracking_number=tracking_number,
    )  # fmt: skip
    return request


def _postage(value) -> Decimal:
    if value in (None, ""):
        return ZERO
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("The postage must be an amount."), code="invalid_postage") from None
    if amount < 0 or amount > Decimal("1000"):
        raise DomainError(_("The postage must be between 0 and 1000."), code="invalid_postage")
    return amount


@transaction.atomic
def merchant_confirm_return(request_id: int, *, actor, store_ids) -> RefundRequest:
    request = _lock(request_id, store_ids=store_ids)
    _require(request, Status.RETURN_SHIPPED)
    _approve(request, actor=actor, reason=why("merchant_received_return"), kind="return_received")
    return request


@transaction.atomic
def escalate(request_id: int, *, shopper, note: str) -> RefundRequest:
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Tell the platform why it should step in."), code="missing_note")
    request = _lock(request_id, shopper=shopper)
    _require(request, Status.REJECTED)
    request.status = Status.ESCALATED
    request.escalation_note = note[:1000]
    request.save(update_fields=["status", "escalation_note", *clock.stop(request), "updated_at"])
    _event(request, "refund_escalated", shopper, why("shopper_escalated", note=note[:200]))
    return request


@transaction.atomic
def operator_decide(request_id: int, *, operator, approve: bool, note: str) -> RefundRequest:
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give the reason for the decision."), code="missing_note")
    request = _lock(request_id)
    _require(request, Status.ESCALATED)
    request.operator_note = note[:1000]
    request.save(update_fields=["operator_note", "updated_at"])
    if approve:
        _approve(request, actor=operator, reason=why("platform_for_shopper", note=note[:200]), kind="refund_decided")
    else:
        close(request, actor=operator, kind="refund_decided",
              reason=why("platform_for_merchant", note=note[:200]))  # fmt: skip
    return request


# --- time-outs (beat) ---------------------------------------------------------------------------------------------

TIMED_STATUSES = (Status.PENDING_REVIEW, Status.REJECTED, Status.AWAITING_RETURN, Status.RETURN_SHIPPED)


def apply_timeouts(now=None, limit: int = 500) -> int:
    """Apply DESIGN.md's default outcome to every request whose stage has timed out. Safe to run concurrently."""
    now = now or timezone.now()
    due = RefundRequest.objects.filter(status__in=TIMED_STATUSES, deadline_at__lte=now).order_by("deadline_at")
    done = 0
    for request_id, suborder_id in list(due.values_list("pk", "suborder_id")[:limit]):
        try:
            with transaction.atomic():
                if try_lock_suborder(suborder_id) is None:
                    continue  # someone is acting on it right now; next run
                request = locked_request(request_id, with_related=True)
                if request.status not in TIMED_STATUSES or not request.deadline_at or request.deadline_at > now:
                    continue
                if clock.refresh(request) and request.deadline_at > now:
                    continue  # the store closed (or the platform paused) meanwhile: its clock stood still
                _time_out(request)
                done += 1
        except DomainError as exc:  # a rule refused the default outcome; leave it for a person
            log.warning("refund %s time-out not applied: %s", request_id, exc)
    return done


def _time_out(request: RefundRequest) -> None:
    if request.status == Status.PENDING_REVIEW:
        suborder = request.suborder
        if not request.shipped_when_requested and not suborder.is_unshipped:
            # The merchant answered an unshipped refund by shipping: the shopper may change it (e.g. to a return)
            # or ask the platform to step in.
            _reject(request, actor=None, reason=why("merchant_shipped"), kind="refund_timeout")
            return
        _approve(request, actor=None, reason=why("merchant_no_response"), kind="refund_timeout")
    elif request.status == Status.REJECTED:
        close(request, actor=None, kind="refund_timeout",
              reason=why("shopper_no_response"))  # fmt: skip
    elif request.status == Status.AWAITING_RETURN:
        close(request, actor=None, kind="refund_timeout", reason=why("goods_not_returned"))
    elif request.status == Status.RETURN_SHIPPED:
        _approve(request, actor=None, reason=why("return_not_confirmed"),
                 kind="refund_timeout")  # fmt: skip
