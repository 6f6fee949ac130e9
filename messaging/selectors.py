"""Chat and notification reads: inbox scoping, unread counts, message payloads, first-response figures."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Max, Min, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import escape, linebreaks

from messaging.models import ChatMessage, Conversation, FirstResponse, Notification
from orders.models import SubOrder
from shops.models import Store
from shops.permissions import Capability, stores_for

CHAT = Capability.CHAT_WITH_SHOPPERS


# -- chat ---------------------------------------------------------------------------------------------------------


def chat_stores(user) -> QuerySet[Store]:
    return stores_for(user, CHAT).order_by("brand", "name")


def inbox(user, *, store_id: int | None = None, status: str | None = None, mine: bool = False):
    """Conversations of every store where ``user`` may chat (optionally one store, one status, assigned to them)."""
    queryset = Conversation.objects.filter(store__in=stores_for(user, CHAT)).select_related(
        "store", "shopper", "assigned_to"
    )
    if store_id is not None:
        queryset = queryset.filter(store_id=store_id)
    if status in Conversation.Status.values:
        queryset = queryset.filter(status=status)
    if mine:
        queryset = queryset.filter(assigned_to=user)
    return queryset.order_by("-last_message_at", "-id")


def shopper_conversations(user):
    return Conversation.objects.filter(shopper=user).select_related("store").order_by("-last_message_at", "-id")


def messages(conversation: Conversation, *, before_id: int | None = None, limit: int = 50) -> list[ChatMessage]:
    queryset = conversation.messages.select_related("sender", "product", "suborder__order").order_by("-id")
    if before_id is not None:
        queryset = queryset.filter(id__lt=before_id)
    return list(reversed(queryset[:limit]))


def shopper_chat_unread(user) -> int:
    if not user.is_authenticated:
        return 0
    return Conversation.objects.filter(shopper=user).aggregate(n=Coalesce(Sum("shopper_unread"), 0))["n"]


def store_chat_unread(user) -> dict[int, int]:
    """Unread shopper messages per store the user chats for."""
    if not user.is_authenticated:
        return {}
    rows = (
        Conversation.objects.filter(store__in=stores_for(user, CHAT), store_unread__gt=0)
        .values("store_id")
        .annotate(n=Sum("store_unread"))
    )
    return {row["store_id"]: row["n"] for row in rows}


def unread_notifications(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_counts(user) -> dict:
    per_store = store_chat_unread(user)
    return {
        "chat": shopper_chat_unread(user),
        "store_chat": sum(per_store.values()),
        "store_chat_by_store": per_store,
        "notifications": unread_notifications(user),
    }


def card_payload(message: ChatMessage) -> dict | None:
    if message.kind == ChatMessage.Kind.PRODUCT and message.product_id:
        product = message.product
        return {
            "kind": "product",
            "id": product.pk,
            "title": product.title,
            "price": str(product.min_price),
            "image": product.image.url if product.image else "",
            "url": reverse("shops:product", args=[product.pk]),
        }
    if message.kind == ChatMessage.Kind.ORDER and message.suborder_id:
        suborder = message.suborder
        return {
            "kind": "order",
            "number": suborder.number,
            "state": suborder.state,
            "state_label": str(SubOrder.State(suborder.state).label),
            "payable": str(suborder.payable),
            "url": reverse("orders:order_detail", args=[suborder.order.number]),
            "seller_url": reverse("orders:seller_order_detail", args=[suborder.pk]),
        }
    return None


def message_payload(message: ChatMessage) -> dict:
    """What both sides see of a message. ``text`` is raw (clients set it as text); ``html`` is escaped."""
    sender = message.sender
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "side": message.side,
        "sender": sender.display_name or sender.username,
        "kind": message.kind,
        "text": message.text,
        "html": linebreaks(escape(message.text)) if message.text else "",
        "card": card_payload(message),
        "created_at": message.created_at.isoformat(),
    }


def conversation_state(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "store": conversation.store_id,
        "status": conversation.status,
        "assigned_to": conversation.assigned_to_id,
        "shopper_unread": conversation.shopper_unread,
        "store_unread": conversation.store_unread,
        "awaiting_reply_since": conversation.awaiting_reply_since.isoformat()
        if conversation.awaiting_reply_since
        else None,
        "last_message_at": conversation.last_message_at.isoformat() if conversation.last_message_at else None,
    }


# -- first response (read by the customer-experience figures) -------------------------------------------------------


def first_response_by_store(
    store_ids, *, since: datetime.datetime | None = None, until: datetime.datetime | None = None
) -> dict[int, dict]:
    """store id -> {"answered": questions answered, "average_seconds", "longest_seconds", "fastest_seconds"}."""
    queryset = FirstResponse.objects.filter(store_id__in=list(store_ids))
    if since is not None:
        queryset = queryset.filter(answered_at__gte=since)
    if until is not None:
        queryset = queryset.filter(answered_at__lt=until)
    rows = queryset.values("store_id").annotate(
        answered=Count("id"), average=Avg("seconds"), longest=Max("seconds"), fastest=Min("seconds")
    )
    return {
        row["store_id"]: {
            "answered": row["answered"],
            "average_seconds": round(row["average"]),
            "longest_seconds": row["longest"],
            "fastest_seconds": row["fastest"],
        }
        for row in rows
    }


def waiting_questions(store_ids) -> dict[int, int]:
    """Conversations per store with a shopper question not answered yet."""
    rows = (
        Conversation.objects.filter(store_id__in=list(store_ids), awaiting_reply_since__isnull=False)
        .values("store_id")
        .annotate(n=Count("id"))
    )
    return {row["store_id"]: row["n"] for row in rows}


# -- notifications ------------------------------------------------------------------------------------------------


def notifications_for(user, *, unread_only: bool = False):
    queryset = Notification.objects.filter(recipient=user).select_related("store")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")
