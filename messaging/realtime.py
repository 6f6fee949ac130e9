"""Chat's Redis side: the per-user rate counter and the channel-layer groups messages are broadcast to."""

from __future__ import annotations

import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from messaging import chat_rules


def conversation_group(conversation_id: int) -> str:
    return f"chat_conversation_{conversation_id}"


def store_group(store_id: int) -> str:
    """Every staff inbox connection of the store (new messages, assignment, closing)."""
    return f"chat_store_{store_id}"


def user_group(user_id: int) -> str:
    """Every connection of one user (their unread badge)."""
    return f"chat_user_{user_id}"


def count_message(user_id: int) -> int:
    """Count one message against the user's window (one counter in Redis for all their connections and processes)."""
    window = int(time.time()) // chat_rules.WINDOW_SECONDS
    key = f"chat-rate:{user_id}:{window}"
    cache.add(key, 0, timeout=chat_rules.WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=chat_rules.WINDOW_SECONDS * 2)
        return 1


def broadcast(groups: list[str], event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    for group in groups:
        send(group, {"type": "chat.event", "event": event})
