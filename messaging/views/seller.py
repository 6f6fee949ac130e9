"""The store staff's shared chat inbox (all their stores) and their notifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from marketplace.api import DomainError
from messaging import selectors
from messaging.models import Conversation, Notification
from messaging.services import chat
from messaging.views.common import card_choices
from shops.models import StoreStaff
from shops.permissions import Capability, roles_with
from shops.workbench import seller_view

CHAT = Capability.CHAT_WITH_SHOPPERS


@require_safe
@seller_view(CHAT)
def inbox(request):
    stores = list(selectors.chat_stores(request.user))
    store_id = request.GET.get("store")
    store_id = int(store_id) if store_id and store_id.isdigit() and len(store_id) <= 18 else None
    store_id = store_id if store_id in {store.pk for store in stores} else None
    status = request.GET.get("status") or Conversation.Status.OPEN
    mine = request.GET.get("mine") == "1"
    conversations = selectors.inbox(request.user, store_id=store_id, status=status, mine=mine)
    page = Paginator(conversations, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/seller/inbox.html",
        {
            "page": page,
            "stores": stores,
            "store_id": store_id,
            "status": status,
            "mine": mine,
            "statuses": Conversation.Status.choices,
            "unread_by_store": selectors.store_chat_unread(request.user),
            "response_figures": _response_figures(stores),
        },
    )


def _response_figures(stores) -> list[dict]:
    ids = [store.pk for store in stores]
    figures, waiting = selectors.first_response_by_store(ids), selectors.waiting_questions(ids)
    return [{"store": store, "figures": figures.get(store.pk), "waiting": waiting.get(store.pk, 0)} for store in stores]


@require_safe
@seller_view(CHAT)
def conversation(request, pk: int):
    conversation = chat.staff_conversation(pk, request.user)
    chat.mark_read(pk, request.user)
    colleagues = User.objects.filter(
        pk__in=StoreStaff.objects.filter(store_id=conversation.store_id, role__in=roles_with(CHAT)).values("user")
    ).order_by("username")
    return render(
        request,
        "messaging/seller/conversation.html",
        {
            "conversation": conversation,
            "history": [selectors.message_payload(m) for m in selectors.messages(conversation)],
            "side": "store",
            "cards": card_choices(conversation.store, conversation.shopper, request.GET),
            "colleagues": colleagues,
            "ws_path": f"/ws/chat/{conversation.pk}/",
            "send_url": reverse("messaging:send", args=[conversation.pk]),
        },
    )


@require_POST
@seller_view(CHAT)
def assign(request, pk: int):
    user_id = request.POST.get("user")
    assignee = User.objects.filter(pk=user_id).first() if user_id and user_id.isdigit() and len(user_id) <= 18 else None
    try:
        chat.assign(pk, request.user, assignee)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("messaging:seller_conversation", pk=pk)


@require_POST
@seller_view(CHAT)
def close(request, pk: int):
    chat.close(pk, request.user)
    return redirect("messaging:seller_inbox")


@require_safe
@seller_view()
def notification_list(request):
    queryset = selectors.notifications_for(request.user).filter(audience=Notification.Audience.MERCHANT)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "messaging/notifications.html", {"page": page, "base": "seller/base.html"})
