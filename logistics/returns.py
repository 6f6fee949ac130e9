"""7-day no-reason returns (7天无理由退货): who may send goods back without a reason, and 运费险 (rules + reads).

Refunds runs the return flow (address, the shopper's tracking number, the merchant's receipt, the worker's refund)
and asks here whether a request qualifies and whether the platform pays the return postage.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import SubOrder
from shops import selectors as shop_selectors
from shops.promises import NO_REASON_RETURN_DAYS, ServiceCatalogue


def window_ends(suborder: SubOrder) -> datetime.datetime | None:
    """The last moment of the no-reason window: 7 days after receipt (None before receipt)."""
    if suborder.received_at is None:
        return None
    return suborder.received_at + datetime.timedelta(days=NO_REASON_RETURN_DAYS)


def no_reason_problem(suborder: SubOrder, vertical_ids, now: datetime.datetime | None = None) -> str | None:
    """Why these goods cannot be returned without a reason now (None: they can)."""
    now = now or timezone.now()
    card = shop_selectors.card_of(suborder.store)
    if not card.no_reason_returns:
        return _("This store does not offer 7-day no-reason returns.")
    if set(vertical_ids) & shop_selectors.return_excluded_vertical_ids():
        return _("This category is not eligible for 7-day no-reason returns.")
    ends = window_ends(suborder)
    if ends is None or suborder.state not in (SubOrder.State.RECEIVED, SubOrder.State.COMPLETED):
        return _("A no-reason return starts once you have received the goods.")
    if now > ends:
        return _("The 7-day no-reason return window ended on %(date)s.") % {
            "date": timezone.localtime(ends).strftime("%Y-%m-%d")
        }
    return None


def insured(suborder: SubOrder) -> bool:
    return shop_selectors.card_of(suborder.store).return_shipping_insurance


def insurance_cap() -> Decimal:
    return ServiceCatalogue.current().return_insurance_cap


def return_address(store) -> str:
    card = shop_selectors.card_of(store)
    return card.return_address or ""
