"""The workbench to-do board (like 千牛's): counts of what needs doing in the chosen store(s), each linking to a
filtered list.

Extension point: apps that land later (reviews to reply to) add a provider to PROVIDERS, a
function (store_ids) -> TodoItem | None. The app that owns the data writes the provider; insight shows it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insight.analytics import queries
from messaging.models import Conversation
from orders.models import SubOrder
from promotions.models import Campaign, CampaignEnrollment
from refunds.models import RefundRequest
from shops.models import SKU, Store

LOW_STOCK = 5


@dataclass
class TodoItem:
    key: str
    label: str
    count: int
    url: str = ""
    detail: str = ""
    urgent: int = 0


def _url(name: str, query: str = "") -> str:
    try:
        return reverse(name) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def to_ship(store_ids) -> TodoItem:
    count = SubOrder.objects.filter(store_id__in=store_ids, state=SubOrder.State.AWAITING_SHIPMENT).count()
    return TodoItem("to_ship", _("To ship"), count, _url("orders:seller_orders", "state=awaiting_shipment"))


def refunds_to_review(store_ids) -> TodoItem:
    pending = RefundRequest.objects.filter(store_id__in=store_ids, status=RefundRequest.Status.PENDING_REVIEW)
    end_of_today = queries.day_start(timezone.localdate() + datetime.timedelta(days=1))
    urgent = pending.filter(deadline_at__lt=end_of_today).count()
    return TodoItem("refunds", _("Refunds awaiting review"), pending.count(),
                    _url("refunds:seller_list", "status=pending_review"),
                    _("%(n)s time out today") % {"n": urgent} if urgent else "", urgent)  # fmt: skip


def returns_to_receive(store_ids) -> TodoItem:
    count = RefundRequest.objects.filter(store_id__in=store_ids, status=RefundRequest.Status.RETURN_SHIPPED).count()
    return TodoItem("returns", _("Returns to receive"), count, _url("refunds:seller_list", "status=return_shipped"))


def low_stock(store_ids) -> TodoItem:
    count = (
        SKU.objects.filter(store_id__in=store_ids, is_active=True, product__status="active")
        .annotate(units=Sum("stock_levels__quantity", filter=Q(stock_levels__outlet__isnull=True)))
        .filter(Q(units__lte=LOW_STOCK) | Q(units__isnull=True))
        .count()
    )
    return TodoItem("low_stock", _("Low-stock SKUs"), count, _url("shops:seller_products"))


def campaigns_to_enrol(store_ids) -> TodoItem:
    now = timezone.now()
    brands = set(Store.objects.filter(pk__in=store_ids).values_list("brand", flat=True))
    count = 0
    for campaign in Campaign.objects.filter(is_active=True, ends_at__gt=now):
        if campaign.brands and not brands & set(campaign.brands):
            continue
        enrolled = set(CampaignEnrollment.objects.filter(campaign=campaign).values_list("store_id", flat=True))
        if set(store_ids) - enrolled:
            count += 1
    return TodoItem("campaigns", _("Campaigns to enrol in"), count, _url("promotions:seller_campaigns"))


def unread_chats(store_ids) -> TodoItem:
    """Conversations with messages the store has not read; "urgent" = questions still waiting for a first reply."""
    chats = Conversation.objects.filter(store_id__in=store_ids, store_unread__gt=0)
    waiting = Conversation.objects.filter(store_id__in=store_ids, awaiting_reply_since__isnull=False).count()
    return TodoItem("chats", _("Unread chats"), chats.count(), _url("messaging:seller_inbox"),
                    _("%(n)s waiting for a reply") % {"n": waiting} if waiting else "", waiting)  # fmt: skip


PROVIDERS = [to_ship, refunds_to_review, returns_to_receive, unread_chats, low_stock, campaigns_to_enrol]


def board(store_ids) -> list[TodoItem]:
    return [item for provider in PROVIDERS if (item := provider(store_ids)) is not None]
