"""Row locks on messaging's tables. Messaging's transactions lock nothing of the other apps: a conversation row
(posting, assigning, closing) or one notification's delivery row (sending it out once), never both."""

from __future__ import annotations

from messaging.models import Conversation, Delivery
from orders.lock_objects import require_transaction


def lock_conversation(conversation_id: int) -> Conversation:
    require_transaction("conversations")
    return Conversation.objects.select_for_update().get(pk=conversation_id)


def lock_delivery(notification_id: int, channel: str) -> Delivery:
    require_transaction("deliveries")
    return Delivery.objects.select_for_update().get(notification_id=notification_id, channel=channel)
