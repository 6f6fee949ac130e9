"""Chat end to end through WebSocket communicators on the REAL Redis channel layer."""

import datetime

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.conf import settings

from messaging import chat_rules
from messaging.models import ChatMessage, Conversation, FirstResponse
from shops.models import StaffRole
from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory, staff_of
from tests.messaging.sockets import connect, join, next_of, quiet
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.shops.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario):
    return async_to_sync(scenario)()


def test_a_question_reaches_the_store_and_the_answer_reaches_the_shopper_escaped():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    conversation = ConversationFactory()
    agent = staff_of(conversation.store, display_name="小美")

    async def scenario():
        shopper_socket = await join(conversation.pk, conversation.shopper)
        agent_socket = await join(conversation.pk, agent)
        inbox, connected, _ = await connect("/ws/chat/inbox/", agent)
        assert connected
        await shopper_socket.send_json_to({"type": "send", "text": "  有货吗？<script>alert(1)</script>  "})
        for socket in (shopper_socket, agent_socket, inbox):
            event = await next_of(socket, "message")
            assert event["message"]["side"] == "shopper"
            assert event["message"]["text"] == "有货吗？<script>alert(1)</script>"
            assert "<script>" not in event["message"]["html"] and "&lt;script&gt;" in event["message"]["html"]
            assert event["conversation"]["store_unread"] == 1
        await agent_socket.send_json_to({"type": "send", "text": "有的，今天发货"})
        answer = await next_of(shopper_socket, "message")
        assert answer["message"]["side"] == "store" and answer["message"]["sender"] == "小美"
        assert answer["conversation"]["shopper_unread"] == 1
        await shopper_socket.send_json_to({"type": "read"})
        assert (await next_of(agent_socket, "read"))["conversation"]["shopper_unread"] == 0
        for socket in (shopper_socket, agent_socket, inbox):
            await socket.disconnect()

    run(scenario)
    conversation.refresh_from_db()
    assert conversation.store_unread == 1 and conversation.shopper_unread == 0
    assert conversation.assigned_to == agent  # the first answer takes the conversation
    assert ChatMessage.objects.filter(conversation=conversation).count() == 2
    response = FirstResponse.objects.get(store=conversation.store)
    assert response.answered_by == agent and response.seconds >= 0


@pytest.mark.parametrize("who", ["other_shopper", "other_store_staff", "operations_staff", "anonymous"])
def test_only_the_shopper_and_the_stores_chat_staff_may_join(who):
    conversation = ConversationFactory()
    user = {
        "other_shopper": lambda: UserFactory(),
        "other_store_staff": lambda: staff_of(StoreFactory()),
        "operations_staff": lambda: staff_of(conversation.store, StaffRole.OPERATIONS),
        "anonymous": lambda: None,
    }[who]()

    async def scenario():
        socket, connected, code = await connect(f"/ws/chat/{conversation.pk}/", user)
        assert not connected and code == 4403
        await socket.disconnect()

    run(scenario)


def test_the_owner_may_answer_and_another_stores_inbox_hears_nothing():
    conversation = ConversationFactory()
    owner = conversation.store.merchant.owner
    stranger = staff_of(StoreFactory())

    async def scenario():
        shopper_socket = await join(conversation.pk, conversation.shopper)
        owner_socket = await join(conversation.pk, owner)
        foreign_inbox, connected, _ = await connect("/ws/chat/inbox/", stranger)
        assert connected
        await shopper_socket.send_json_to({"type": "send", "text": "hello"})
        await next_of(owner_socket, "message")
        assert not [e for e in await quiet(foreign_inbox) if e["type"] == "message"]
        for socket in (shopper_socket, owner_socket, foreign_inbox):
            await socket.disconnect()

    run(scenario)


def test_messages_are_rate_limited_per_user_across_connections():
    conversation = ConversationFactory()
    # Early in a 30-second window, the clock running: the pub/sub channel layer waits on the event loop's clock,
    # which a frozen clock would stop.
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, 0, 1, tzinfo=datetime.UTC), tick=True):

        async def scenario():
            first = await join(conversation.pk, conversation.shopper)
            second_tab = await join(conversation.pk, conversation.shopper)
            for n in range(chat_rules.WINDOW_MAX):
                await (first if n % 2 else second_tab).send_json_to({"type": "send", "text": f"m{n}"})
                await next_of(first, "message")
            await first.send_json_to({"type": "send", "text": "one too many"})
            error = await next_of(first, "error")
            assert error["code"] == "rate_limited"
            await first.disconnect()
            await second_tab.disconnect()

        run(scenario)
    assert ChatMessage.objects.filter(conversation=conversation).count() == chat_rules.WINDOW_MAX


def test_bad_messages_are_refused_to_the_sender_only():
    conversation = ConversationFactory()
    agent = staff_of(conversation.store)
    foreign_product = ProductFactory()
    stranger, address = shopper_with_address()
    foreign_order, _ = buy(stranger, address, (sku_in(conversation.store), 1))
    foreign_suborder = foreign_order.suborders.get()

    async def scenario():
        shopper_socket = await join(conversation.pk, conversation.shopper)
        agent_socket = await join(conversation.pk, agent)
        cases = [
            ({"type": "send", "text": "   "}, "empty"),
            ({"type": "send", "text": "好" * (chat_rules.MAX_MESSAGE_CHARS + 1)}, "too_long"),
            ({"type": "send", "text": 42}, "invalid"),
            ({"type": "send", "product": foreign_product.pk}, "not_found"),
            ({"type": "send", "product": 10**30}, "invalid"),
            ({"type": "send", "order": foreign_suborder.number}, "not_found"),
            ({"type": "explode"}, "unknown_type"),
        ]
        for frame, code in cases:
            await shopper_socket.send_json_to(frame)
            assert (await next_of(shopper_socket, "error"))["code"] == code
        await shopper_socket.send_to(text_data="{not json")
        assert (await next_of(shopper_socket, "error"))["code"] == "invalid"
        assert not [e for e in await quiet(agent_socket) if e["type"] in ("message", "error")]
        await shopper_socket.disconnect()
        await agent_socket.disconnect()

    run(scenario)
    assert not ChatMessage.objects.exists()


def test_product_and_order_cards_show_only_this_stores_products_and_the_shoppers_own_orders():
    shopper, address = shopper_with_address()
    sku = sku_in(price="88.00")
    store = sku.product.store
    order, _ = buy(shopper, address, (sku, 1))
    suborder = order.suborders.get()
    conversation = ConversationFactory(shopper=shopper, store=store)
    agent = staff_of(store)

    async def scenario():
        shopper_socket = await join(conversation.pk, shopper)
        agent_socket = await join(conversation.pk, agent)
        await shopper_socket.send_json_to({"type": "send", "order": suborder.number})
        card = (await next_of(agent_socket, "message"))["message"]["card"]
        assert (
            card["kind"] == "order" and card["number"] == suborder.number and card["payable"] == str(suborder.payable)
        )
        assert (await next_of(shopper_socket, "message"))["message"]["side"] == "shopper"  # the shopper's own echo
        await agent_socket.send_json_to({"type": "send", "product": sku.product.pk})
        card = (await next_of(shopper_socket, "message"))["message"]["card"]
        assert card["kind"] == "product" and card["id"] == sku.product.pk
        await shopper_socket.disconnect()
        await agent_socket.disconnect()

    run(scenario)
    assert list(ChatMessage.objects.values_list("kind", flat=True)) == ["order", "product"]


def test_a_closed_conversation_reopens_when_the_shopper_writes_again():
    conversation = ConversationFactory(status=Conversation.Status.CLOSED)

    async def scenario():
        socket = await join(conversation.pk, conversation.shopper)
        await socket.send_json_to({"type": "send", "text": "again"})
        assert (await next_of(socket, "message"))["conversation"]["status"] == "open"
        await socket.disconnect()

    run(scenario)
