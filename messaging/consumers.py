"""Chat over WebSockets. Thin: every rule is in messaging.services.chat.

``ws/chat/<conversation id>/``: one conversation, for its shopper or the store's chat staff (anyone else is
refused at connect). Client -> server: {"type": "send", "text"}, {"type": "send", "product": id},
{"type": "send", "order": "sub-order number"}, {"type": "read"}. Server -> client: "message", "read", "assigned",
"closed", "error" (to the sender only).

``ws/chat/inbox/``: a staff member's inbox (every store where they chat) or a shopper's badge: "message" events of
all their conversations, to refresh lists and unread counts.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from livestream.consumers import viewer_language
from marketplace.api import DomainError
from marketplace.websockets import JsonConsumer
from messaging import realtime, selectors
from messaging.services import chat
from orders.models import SubOrder

MAX_FRAME_BYTES = 8192
CLOSE_NOT_ALLOWED = 4403


class ConversationConsumer(JsonConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        self.language = viewer_language(self.scope)
        try:
            conversation, self.side = await database_sync_to_async(chat.conversation_for)(
                self.user, self.scope["url_route"]["kwargs"]["conversation_id"]
            )
        except Http404:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.conversation_id = conversation.pk
        self.group = realtime.conversation_group(conversation.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        with translation.override(self.language):
            if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
                await self._error("too_large", _("That message is too large."))
                return
            try:
                content = json.loads(text_data)
            except ValueError:
                await self._error("invalid", _("Messages must be JSON."))
                return
            if not isinstance(content, dict):
                await self._error("invalid", _("Messages must be JSON."))
                return
            try:
                await self._handle(content)
            except DomainError as exc:
                await self._error(exc.code, exc.message)
            except Http404:
                await self._error("not_found", _("Not found."))

    async def _handle(self, content):
        kind = content.get("type")
        if kind == "send":
            await database_sync_to_async(chat.post_message)(
                self.conversation_id,
                self.user,
                text=content.get("text"),
                product_id=content.get("product"),
                order_number=content.get("order"),
            )
        elif kind == "read":
            await database_sync_to_async(chat.mark_read)(self.conversation_id, self.user)
        else:
            await self._error("unknown_type", _("Unknown message type."))

    async def _error(self, code: str, detail: str):
        await self.send_json({"type": "error", "code": code, "detail": str(detail)})

    async def chat_event(self, message):
        await self.send_json(localized(message["event"], self.language))


class InboxConsumer(JsonConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        if not self.user or not self.user.is_authenticated:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.language = viewer_language(self.scope)
        store_ids = await database_sync_to_async(
            lambda: list(selectors.chat_stores(self.user).values_list("pk", flat=True))
        )()
        self.groups_joined = [realtime.user_group(self.user.pk), *map(realtime.store_group, store_ids)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "error", "code": "read_only", "detail": "The inbox socket only listens."})

    async def chat_event(self, message):
        await self.send_json(localized(message["event"], self.language))


def localized(event: dict, language: str) -> dict:
    """An order card's state label in this reader's language (the broadcast carries the sender's)."""
    card = (event.get("message") or {}).get("card")
    if card and card.get("kind") == "order":
        with translation.override(language):
            card = {**card, "state_label": str(SubOrder.State(card["state"]).label)}
        event = {**event, "message": {**event["message"], "card": card}}
    return event
