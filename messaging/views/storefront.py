"""Shopper pages: the message hub (chats and notifications), contacting a store, one conversation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.api import DomainError
from messaging import selectors
from messaging.models import ChatMessage, Conversation
from messaging.services import chat, notifications
from messaging.views.common import card_choices, send_from_form
from shops.models import Store


@require_safe
def badge(request):
    """The top bar's unread count (loaded by htmx after the page, so cached pages stay shared)."""
    total = 0
    if request.user.is_authenticated:
        counts = selectors.unread_counts(request.user)
        total = counts["chat"] + counts["store_chat"] + counts["notifications"]
    response = render(request, "messaging/_badge_count.html", {"total": total})
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def hub(request):
    return render(
        request,
        "messaging/hub.html",
        {
            "conversations": selectors.shopper_conversations(request.user)[:100],
            "unread": selectors.unread_counts(request.user),
        },
    )


def _card_query(request) -> str:
    wanted = {name: request.GET[name] for name in ("product", "order") if request.GET.get(name)}
    return f"?{urlencode(wanted)}" if wanted else ""


@require_http_methods(["GET", "POST"])
@login_required
def contact_store(request, slug: str):
    """From a product, order or store page: the conversation with the store (opened on the first message)."""
    store = get_object_or_404(Store, slug=slug)
    existing = Conversation.objects.filter(shopper=request.user, store=store).first()
    if request.method == "GET" and existing:
        return redirect(reverse("messaging:conversation", args=[existing.pk]) + _card_query(request))
    if request.method == "POST":
        try:
            conversation = chat.open_conversation(request.user, store)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("shops:store", slug=store.slug)
        send_from_form(request, conversation.pk)
        return redirect("messaging:conversation", pk=conversation.pk)
    return render(
        request,
        "messaging/contact.html",
        {"store": store, "cards": card_choices(store, request.user, request.GET), "max_chars": _max_chars()},
    )


def _max_chars() -> int:
    from messaging.chat_rules import MAX_MESSAGE_CHARS

    return MAX_MESSAGE_CHARS


@require_safe
@login_required
def conversation_page(request, pk: int):
    conversation, side = chat.conversation_for(request.user, pk)
    if side != ChatMessage.Side.SHOPPER:
        return redirect("messaging:seller_conversation", pk=pk)
    chat.mark_read(pk, request.user)
    return render(
        request,
        "messaging/conversation.html",
        {
            "conversation": conversation,
            "history": [selectors.message_payload(m) for m in selectors.messages(conversation)],
            "side": side,
            "cards": card_choices(conversation.store, request.user, request.GET),
            "ws_path": f"/ws/chat/{conversation.pk}/",
            "send_url": reverse("messaging:send", args=[conversation.pk]),
            "max_chars": _max_chars(),
        },
    )


@require_POST
@login_required
def send(request, pk: int):
    """The form post behind the chat box (the page sends over the WebSocket when it can)."""
    conversation, side = chat.conversation_for(request.user, pk)
    send_from_form(request, conversation.pk)
    target = "messaging:conversation" if side == ChatMessage.Side.SHOPPER else "messaging:seller_conversation"
    return redirect(target, pk=pk)


@require_safe
@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "messaging/notifications.html", {"page": page, "base": "base.html"})


@require_POST
@login_required
def notifications_read(request):
    notifications.mark_read(request.user)
    return redirect(request.POST.get("next") or "messaging:notifications")
