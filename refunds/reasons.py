"""The words for refund-policy reasons, in the reader's language. The policy (refunds.policy, pure) gives a code and
its figures; requests store them as {"code", "params"} in ``RefundRequest.policy_decision``, and every page, API
answer and dry run renders them here, when they are read."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASON_TEXT = {
    "brand_disabled": _("Instant refunds are off for this brand."),
    "shipped": _("The order has already shipped."),
    "amount_over_limit": _("The order amount ¥%(amount)s is above the ¥%(limit)s instant-refund limit."),
    "too_late": _("More than %(hours)s hours have passed since payment."),
    "excluded_category": _("Items of this category are not refunded instantly."),
    "goods_to_return": _("Goods sent back are checked by the store."),
    "ship_by_passed": _("Not shipped by the promised time."),
}
# What the shopper sees before submitting, short: "needs the store's review: <this>".
SHORT_TEXT = {
    "brand_disabled": _("instant refunds are off for this store"),
    "shipped": _("the item has shipped"),
    "amount_over_limit": _("over the ¥%(limit)s limit"),
    "too_late": _("more than %(hours)s hours after payment"),
    "excluded_category": _("this category is not refunded instantly"),
    "goods_to_return": _("goods sent back are checked first"),
    "ship_by_passed": _("not shipped by the promised time"),
}


def _code_and_params(reason) -> tuple[str, Mapping]:
    if isinstance(reason, Mapping):
        return str(reason.get("code", "")), reason.get("params") or {}
    return reason.code, reason.params or {}


def _render(table, reason) -> str:
    code, params = _code_and_params(reason)
    template = table.get(code)
    if template is None:
        # A reason stored before codes had parameters, with no known code: its stored text is all there is.
        return str(reason.get("message", code)) if isinstance(reason, Mapping) else code
    text = str(template)
    if "%(" not in text:
        return text
    try:
        return text % dict(params)
    except (KeyError, ValueError, TypeError):  # a stored reason missing its figures: its old text, if any
        return str(reason.get("message") or code) if isinstance(reason, Mapping) else code


def reason_message(reason) -> str:
    """A Reason or its stored JSON, as a sentence in the active language."""
    return _render(REASON_TEXT, reason)


def reason_short(reason) -> str:
    return _render(SHORT_TEXT, reason)


def policy_message(message) -> str:
    """A refunds.policy Message (a validation error) in the active language."""
    text = gettext(message.text)
    return text % message.params if message.params else text


def decision_messages(decision) -> list[str]:
    reasons = decision.get("reasons", []) if isinstance(decision, Mapping) else decision.reasons
    return [reason_message(reason) for reason in reasons]
