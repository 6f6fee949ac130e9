"""The timeline words of refunds (kinds and reason codes), registered with orders.events from RefundsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from orders import events
from refunds.models import RefundRequest


def _requested(params) -> str:
    try:
        reason = RefundRequest.Reason(params.get("reason")).label
    except ValueError:
        reason = params.get("reason", "")
    return gettext("Refund of ¥%(amount)s requested: %(reason)s") % {
        "amount": params.get("amount", ""),
        "reason": reason,
    }


KINDS = {
    "refund_requested": _("Refund requested"),
    "refund_approved": _("Refund approved"),
    "refund_modified": _("Refund request changed"),
    "refund_withdrawn": _("Refund request withdrawn"),
    "refund_rejected": _("Refund rejected"),
    "return_shipped": _("Return shipped"),
    "return_received": _("Return received"),
    "refund_escalated": _("Platform asked to step in"),
    "refund_decided": _("Platform decision"),
    "refund_timeout": _("Time limit reached"),
    "refund_paid": _("Refund paid"),
    "fully_refunded": _("Fully refunded"),
}

REASONS = {
    "refund_requested": _requested,
    "approved_by_policy": _("Approved instantly by the refund policy"),
    "no_reason_return": _("7-day no-reason return: send the goods back to the store"),
    "refund_changed": _("Refund request changed: ¥%(amount)s"),
    "shopper_withdrew": _("The shopper withdrew the request"),
    "merchant_approved": _("The merchant approved the refund"),
    "waiting_for_return": _("waiting for the shopper to send the goods back"),
    "refund_rejected": _("Refund rejected: %(reason)s"),
    "merchant_shipped": _("The merchant shipped the order"),
    "return_sent": _("Return sent with %(carrier)s, tracking %(number)s"),
    "merchant_received_return": _("The merchant received the returned goods"),
    "shopper_escalated": _("The shopper asked the platform to step in: %(note)s"),
    "platform_for_shopper": _("The platform decided for the shopper: %(note)s"),
    "platform_for_merchant": _("The platform decided for the merchant: %(note)s"),
    "merchant_no_response": _("The merchant did not respond in time"),
    "shopper_no_response": _("The shopper did not change the request or ask the platform in time"),
    "goods_not_returned": _("The goods were not sent back in time"),
    "return_not_confirmed": _("The merchant did not confirm the return in time"),
    "refunded_to_shopper": _("¥%(amount)s refunded to the shopper"),
    "fully_refunded_after_settlement": _("Every item was refunded after settlement"),
    "every_item_refunded": _("Every item was refunded"),
}


def register() -> None:
    events.register(kinds=KINDS, reasons=REASONS)
