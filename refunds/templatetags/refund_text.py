"""{{ reason|policy_reason }}: a refund-policy reason (code + figures) in the reader's language."""

from django import template

from refunds.models import RefundRequest
from refunds.reasons import reason_message, reason_short
from refunds.services.assessment import REFUNDABLE_STATES, availability

register = template.Library()


@register.filter
def policy_reason(reason) -> str:
    return reason_message(reason)


@register.filter
def policy_reason_short(reason) -> str:
    return reason_short(reason)


@register.simple_tag
def refund_state(suborder) -> dict:
    """For the order page: the sub-order's refund requests still open (退款中) and whether any item is left that a
    new request could take (items held by an open request are not offered twice)."""
    open_requests = list(
        RefundRequest.objects.filter(suborder=suborder, status__in=RefundRequest.OPEN_STATUSES).order_by("pk")
    )
    can_request = suborder.state in REFUNDABLE_STATES and any(
        row.refundable_quantity > 0 for row in availability(suborder)
    )
    return {"open": open_requests, "can_request": can_request}
