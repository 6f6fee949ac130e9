"""The words of sub-order timelines, in the reader's language.

A timeline event is stored as codes with parameters, never as a sentence: ``kind`` (what happened) and a reason
code with its figures (``SubOrderEvent.reason_code`` / ``reason_params``), rendered when read. orders holds the
registry; an app that records events (refunds, payments, settlement) registers its kinds and reason texts from its
AppConfig.ready() with ``register``. A reason text is a lazy translatable string with %(name)s placeholders, or a
callable ``params -> str`` when a parameter itself needs translating (a choice's label).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

KIND_LABELS: dict[str, object] = {
    "placed": _("Order placed"),
    "paid": _("Paid"),
    "shipped": _("Shipped"),
    "received": _("Received"),
    "auto_received": _("Received automatically"),
    "picked_up": _("Picked up"),
    "completed": _("Completed"),
    "cancelled": _("Cancelled"),
    "closed": _("Closed"),
    "payment_refunded": _("Payment returned"),
    "invoice_issued": _("E-invoice issued"),
    "delivered": _("Delivered"),
}

REASON_TEXTS: dict[str, object] = {
    "order_placed": _("Order placed"),
    "payment_received": _("Payment received"),
    "cancelled_by_shopper": _("Cancelled by the shopper"),
    "not_paid_in_time": _("Not paid within %(minutes)s minutes"),
    "shipped_with": _("Shipped with %(carrier)s"),
    "picked_up_at": _("Picked up at %(outlet)s"),
    "receipt_confirmed": _("The shopper confirmed receipt"),
    "auto_received": _("Received automatically %(days)s days after shipping"),
    "auto_received_after_delivery": _("Received automatically %(days)s days after delivery"),
    "settled": _("Settled"),
    "carrier_delivered": _("The carrier delivered the parcel"),
    "invoice_issued": _("E-invoice issued"),
}


def register(*, kinds: Mapping[str, object] | None = None, reasons: Mapping[str, object] | None = None) -> None:
    KIND_LABELS.update(kinds or {})
    REASON_TEXTS.update(reasons or {})


@dataclass(frozen=True)
class Why:
    """A reason code with its parameters (strings); ``also`` adds further codes shown after it (no parameters)."""

    code: str
    params: dict = field(default_factory=dict)
    also: tuple[str, ...] = ()

    def to_params(self) -> dict:
        params = {key: str(value) for key, value in self.params.items()}
        if self.also:
            params["_also"] = list(self.also)
        return params


def why(code: str, *also: str, **params) -> Why:
    return Why(code, params, tuple(also))


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ").capitalize()


def render_reason(code: str, params: Mapping | None = None) -> str:
    params = dict(params or {})
    also = params.pop("_also", [])
    parts = [_render_one(code, params)] + [_render_one(extra, {}) for extra in also]
    return " · ".join(part for part in parts if part)


def _render_one(code: str, params: Mapping) -> str:
    text = REASON_TEXTS.get(code)
    if text is None:
        return code
    if callable(text):
        return str(text(params))
    text = str(text)
    try:
        return text % dict(params) if "%(" in text else text
    except (KeyError, ValueError, TypeError):
        return text
