"""Demo chat: alice asked 优选小铺 a question and its 客服 answered; bob's question is still waiting. Idempotent."""

from __future__ import annotations

from accounts.models import User
from messaging.models import Conversation
from messaging.services import chat
from shops.models import Store


def seed(stdout) -> list:
    store = Store.objects.filter(slug="youxuan-taobao").first()
    alice, bob, cs = (User.objects.filter(username=name).first() for name in ("alice", "bob", "cs"))
    if store is None or not (alice and bob and cs):
        return []
    talks = [
        (alice, ["你好，这件外套有 L 码吗？"], ["有的亲，L 码有货，今天下单明天发货。"]),
        (bob, ["请问可以开发票吗？"], []),
    ]
    for shopper, questions, answers in talks:
        conversation = chat.open_conversation(shopper, store)
        if Conversation.objects.filter(pk=conversation.pk, messages__isnull=False).exists():
            continue
        for text in questions:
            chat.post_message(conversation.pk, shopper, text=text, broadcast=False)
        for text in answers:
            chat.post_message(conversation.pk, cs, text=text, broadcast=False)
    stdout.write(f"messaging: {Conversation.objects.count()} conversations")
    return []
