"""What each notification code says, rendered in the reader's language when it is read (the database holds only
the code and its parameters). Parameters are plain values: numbers, names, ISO 8601 times.

Adding a notification: a code here, then a row in messaging.receivers (or a sweep in services/notifications).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

SHOPPER, MERCHANT = "shopper", "merchant"


def _order_url(params: dict) -> str | None:
    return _reverse("orders:order_detail", params.get("order_number"))


def _seller_order_url(params: dict) -> str | None:
    return _reverse("orders:seller_order_detail", params.get("suborder_id"))


def _refund_url(params: dict) -> str | None:
    return _reverse("refunds:detail", params.get("refund_id"))


def _seller_refund_url(params: dict) -> str | None:
    return _reverse("refunds:seller_detail", params.get("refund_id"))


def _coupons_url(params: dict) -> str | None:
    return _reverse("promotions:my_coupons")


def _product_url(params: dict) -> str | None:
    return _reverse("shops:product", params.get("product_id"))


def _seller_customers_url(params: dict) -> str | None:
    return _reverse("customers:seller_list")


def _reverse(name: str, arg=None) -> str | None:
    try:
        return reverse(name, args=[arg] if arg is not None else [])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Kind:
    code: str
    audience: str
    title: str
    body: str  # a msgid with %(name)s placeholders filled from the notification's parameters
    link: Callable[[dict], str | None] = lambda params: None


KINDS = [
    Kind("order_paid", SHOPPER, _("Payment received"), _("Order %(suborder_number)s at %(store_name)s is paid: %(amount)s yuan. The store will ship it soon."), _order_url),
    Kind("order_shipped", SHOPPER, _("Order shipped"), _("%(store_name)s shipped order %(suborder_number)s."), _order_url),
    Kind("order_delivered", SHOPPER, _("Order delivered"), _("Order %(suborder_number)s from %(store_name)s was delivered."), _order_url),
    Kind("refund_approved", SHOPPER, _("Refund approved"), _("%(store_name)s approved your refund of %(amount)s yuan for order %(suborder_number)s."), _refund_url),
    Kind("refund_return_requested", SHOPPER, _("Please send the goods back"), _("%(store_name)s approved your return for order %(suborder_number)s: send the goods back to get %(amount)s yuan."), _refund_url),
    Kind("refund_rejected", SHOPPER, _("Refund rejected"), _("%(store_name)s rejected your refund request for order %(suborder_number)s. You may ask the platform to step in."), _refund_url),
    Kind("refund_paid", SHOPPER, _("Refund paid"), _("%(amount)s yuan for order %(suborder_number)s is back in your account."), _refund_url),
    Kind("late_shipment_compensation", SHOPPER, _("Compensation for late shipment"), _("%(store_name)s shipped order %(suborder_number)s late: you received %(amount)s yuan in compensation."), _order_url),
    Kind("review_reply", SHOPPER, _("The store replied to your review"), _("%(store_name)s replied to your review of %(product_title)s."), _product_url),
    Kind("targeted_coupon", SHOPPER, _("A coupon for you"), _("%(store_name)s sent you a coupon, \"%(coupon_name)s\", valid until %(valid_to)s. It is in your coupon wallet."), _coupons_url),
    Kind("coupon_expiring", SHOPPER, _("Coupon about to expire"), _("Your coupon \"%(coupon_name)s\" expires on %(valid_to)s."), _coupons_url),
    Kind("new_order", MERCHANT, _("New order"), _("New paid order %(suborder_number)s at %(store_name)s: %(amount)s yuan."), _seller_order_url),
    Kind("refund_requested", MERCHANT, _("Refund request"), _("A shopper asked for a refund of %(amount)s yuan on order %(suborder_number)s at %(store_name)s."), _seller_refund_url),
    Kind("refund_deadline_soon", MERCHANT, _("Refund review deadline soon"), _("Decide the refund request on order %(suborder_number)s at %(store_name)s before %(deadline)s, or it is approved automatically."), _seller_refund_url),
    Kind("new_follower", MERCHANT, _("New follower"), _("A shopper started following %(store_name)s; it has %(followers)s followers now."), _seller_customers_url),
    Kind("ship_deadline_soon", MERCHANT, _("Shipping deadline soon"), _("Ship order %(suborder_number)s at %(store_name)s before %(deadline)s."), _seller_order_url),
]  # fmt: skip
CATALOGUE: dict[str, Kind] = {kind.code: kind for kind in KINDS}
TIME_PARAMS = ("valid_to", "deadline")


def _display(params: dict) -> dict:
    shown = dict(params)
    for name in TIME_PARAMS:
        value = shown.get(name)
        if isinstance(value, str):
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                continue
            shown[name] = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return shown


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render(code: str, params: dict, language: str | None = None) -> dict:
    """{"title", "body", "url"} of a notification in ``language`` (default: the active one)."""
    kind = CATALOGUE.get(code)
    with translation.override(language) if language else contextlib.nullcontext():
        if kind is None:
            return {"title": code, "body": "", "url": None}
        body = str(kind.body) % _Blank(_display(params or {}))
        return {"title": str(kind.title), "body": body, "url": kind.link(params or {})}
