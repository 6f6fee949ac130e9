"""Chat writes: opening a conversation, posting, reading, assigning and closing. Every caller (the WebSocket
consumer, the API, the pages) goes through here, so permissions, limits and the first-response clock live in one place.

Sides: the conversation's shopper speaks for the shopper side; staff whose role in the store has
``chat_with_shoppers`` speak for the store. Anybody else gets a 404, never a hint the conversation exists.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from messaging import chat_rules, realtime, selectors
from messaging.lock_objects import lock_conversation
from messaging.models import ChatMessage, Conversation, FirstResponse
from orders.models import SubOrder
from shops.models import Product, Store
from shops.permissions import Capability, can

CHAT = Capability.CHAT_WITH_SHOPPERS
Side = ChatMessage.Side


def side_of(user, conversation: Conversation) -> str | None:
    """Which side ``user`` speaks for in ``conversation`` (None: not a participant)."""
    if not user or not user.is_authenticated:
        return None
    if conversation.shopper_id == user.pk:
        return Side.SHOPPER
    if can(user, conversation.store_id, CHAT):
        return Side.STORE
    return None


def conversation_for(user, conversation_id) -> tuple[Conversation, str]:
    """The conversation and the user's side in it, or 404."""
    try:
        conversation = Conversation.objects.select_related("store", "shopper").get(pk=int(conversation_id))
    except (Conversation.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    side = side_of(user, conversation)
    if side is None:
        raise Http404
    return conversation, side


def open_conversation(shopper, store: Store) -> Conversation:
    """The shopper's conversation with ``store`` (created on first contact). Staff cannot chat with their own store."""
    if not shopper or not shopper.is_authenticated:
        raise DomainError(_("Log in to contact the store."), code="login_required", status_code=401)
    if store.status != Store.Status.OPEN:
        raise DomainError(_("This store is not taking messages."), code="store_unavailable")
    if store.staff.filter(user=shopper).exists():
        raise DomainError(_("You work in this store: answer from the inbox instead."), code="own_store")
    conversation, _created = Conversation.objects.get_or_create(shopper=shopper, store=store)
    return conversation


def check_rate(user) -> None:
    verdict = chat_rules.rate_decision(realtime.count_message(user.pk))
    if not verdict.ok:
        raise DomainError(verdict.reason, code=verdict.code, status_code=429)


def _card_product(conversation: Conversation, product_id) -> Product:
    if (
        isinstance(product_id, bool)
        or not isinstance(product_id, int | str)
        or not str(product_id).isdigit()
        or len(str(product_id)) > 18
    ):
        raise DomainError(_("Say which product to send."), code="invalid")
    product = Product.objects.filter(
        pk=int(product_id), store_id=conversation.store_id, status=Product.Status.ACTIVE
    ).first()
    if product is None:
        raise DomainError(_("That product is not sold by this store."), code="not_found", status_code=404)
    return product


def _card_suborder(conversation: Conversation, number) -> SubOrder:
    """Only the conversation's shopper's own sub-orders at this store can be shown, whoever sends the card."""
    if not isinstance(number, str) or not number.strip():
        raise DomainError(_("Say which order to send."), code="invalid")
    suborder = SubOrder.objects.filter(
        number=number.strip()[:32], store_id=conversation.store_id, order__shopper_id=conversation.shopper_id
    ).first()
    if suborder is None:
        raise DomainError(_("No such order of this shopper at this store."), code="not_found", status_code=404)
    return suborder


def post_message(
    conversation_id, user, *, text=None, product_id=None, order_number=None, broadcast: bool = True
) -> ChatMessage:
    """Post a text, product card or order card. Raises Http404 for non-participants, DomainError for bad input."""
    conversation, side = conversation_for(user, conversation_id)
    fields: dict = {"kind": ChatMessage.Kind.TEXT, "text": ""}
    if product_id is not None:
        fields = {"kind": ChatMessage.Kind.PRODUCT, "product": _card_product(conversation, product_id), "text": ""}
    elif order_number is not None:
        fields = {"kind": ChatMessage.Kind.ORDER, "suborder": _card_suborder(conversation, order_number), "text": ""}
    else:
        verdict = chat_rules.check_text(text)
        if not verdict.ok:
            raise DomainError(verdict.reason, code=verdict.code)
        fields["text"] = verdict.text
    check_rate(user)
    with transaction.atomic():
        conversation = lock_conversation(conversation.pk)
        message = ChatMessage.objects.create(conversation=conversation, side=side, sender=user, **fields)
        now = message.created_at
        updates: dict = {"last_message_at": now}
        if side == Side.SHOPPER:
            updates["store_unread"] = F("store_unread") + 1
            if conversation.status == Conversation.Status.CLOSED:
                updates.update(status=Conversation.Status.OPEN, closed_at=None)
            if conversation.awaiting_reply_since is None:
                updates["awaiting_reply_since"] = now
        else:
            updates["shopper_unread"] = F("shopper_unread") + 1
            if conversation.awaiting_reply_since is not None:
                asked = conversation.awaiting_reply_since
                FirstResponse.objects.get_or_create(
                    conversation=conversation,
                    asked_at=asked,
                    defaults={
                        "store_id": conversation.store_id,
                        "answered_at": now,
                        "seconds": max(0, int((now - asked).total_seconds())),
                        "answered_by": user,
                    },
                )
                updates["awaiting_reply_since"] = None
            if conversation.assigned_to_id is None:
                updates["assigned_to"] = user
        Conversation.objects.filter(pk=conversation.pk).update(**updates)
    if broadcast:
        transaction.on_commit(lambda: _announce(message))
    return message


def _announce(message: ChatMessage) -> None:
    conversation = Conversation.objects.get(pk=message.conversation_id)
    event = {
        "type": "message",
        "message": selectors.message_payload(message),
        "conversation": selectors.conversation_state(conversation),
    }
    realtime.broadcast(
        [
            realtime.conversation_group(conversation.pk),
            realtime.store_group(conversation.store_id),
            realtime.user_group(conversation.shopper_id),
        ],
        event,
    )


def mark_read(conversation_id, user) -> Conversation:
    conversation, side = conversation_for(user, conversation_id)
    field = "shopper_unread" if side == Side.SHOPPER else "store_unread"
    if getattr(conversation, field):
        Conversation.objects.filter(pk=conversation.pk).update(**{field: 0})
        setattr(conversation, field, 0)
        transaction.on_commit(lambda: _announce_state(conversation, {"type": "read", "side": side}))
    return conversation


def _announce_state(conversation: Conversation, extra: dict) -> None:
    event = {**extra, "conversation": selectors.conversation_state(conversation)}
    realtime.broadcast(
        [realtime.conversation_group(conversation.pk), realtime.store_group(conversation.store_id)], event
    )


def staff_conversation(conversation_id, user) -> Conversation:
    conversation, side = conversation_for(user, conversation_id)
    if side != Side.STORE:
        raise Http404
    return conversation


def assign(conversation_id, user, assignee) -> Conversation:
    """Hand a conversation to a colleague (or to nobody) who may chat for the store."""
    with transaction.atomic():
        conversation = staff_conversation(conversation_id, user)
        conversation = lock_conversation(conversation.pk)
        if assignee is not None and not can(assignee, conversation.store_id, CHAT):
            raise DomainError(_("That person cannot answer chats for this store."), code="invalid_assignee")
        conversation.assigned_to = assignee
        conversation.save(update_fields=["assigned_to"])
        transaction.on_commit(lambda: _announce_state(conversation, {"type": "assigned"}))
    return conversation


def close(conversation_id, user) -> Conversation:
    """Close a conversation; the shopper's next message reopens it. Closing does not answer a waiting question."""
    with transaction.atomic():
        conversation = staff_conversation(conversation_id, user)
        conversation = lock_conversation(conversation.pk)
        if conversation.status != Conversation.Status.CLOSED:
            conversation.status = Conversation.Status.CLOSED
            conversation.closed_at = timezone.now()
            conversation.save(update_fields=["status", "closed_at"])
            transaction.on_commit(lambda: _announce_state(conversation, {"type": "closed"}))
    return conversation
