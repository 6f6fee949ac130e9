"""Chat and message-center pages for shoppers and store staff."""

import pytest
from django.test import Client

from messaging.models import ChatMessage, Conversation
from messaging.services import chat, notifications
from shops.models import StaffRole
from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory, staff_of
from tests.shops.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_shopper_asks_from_a_product_page_and_sees_the_history_escaped():
    product = ProductFactory()
    store = product.store
    shopper = UserFactory()
    client = browser_for(shopper)
    product_page = client.get(f"/p/{product.pk}/").content.decode()
    assert f"/messages/store/{store.slug}/?product={product.pk}" in product_page
    start = client.get(f"/messages/store/{store.slug}/?product={product.pk}")
    assert start.status_code == 200 and 'data-testid="chat-form"' in start.content.decode()
    assert client.get(f"/messages/store/{store.slug}/?product={10**30}").status_code == 200
    sent = client.post(
        f"/messages/store/{store.slug}/", {"text": "<img src=x onerror=alert(1)> 尺码偏大吗", "product": product.pk}
    )
    conversation = Conversation.objects.get(shopper=shopper, store=store)
    assert sent.status_code == 302 and sent["Location"] == f"/messages/c/{conversation.pk}/"
    assert list(conversation.messages.values_list("kind", flat=True)) == ["product", "text"]
    page = client.get(sent["Location"]).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt; 尺码偏大吗" in page and "<img src=x" not in page
    assert f'data-ws="/ws/chat/{conversation.pk}/"' in page
    # coming back from the product page goes straight to the conversation
    assert client.get(f"/messages/store/{store.slug}/").status_code == 302


def test_another_shopper_and_another_merchant_cannot_open_the_pages():
    conversation = ConversationFactory()
    chat.post_message(conversation.pk, conversation.shopper, text="mine", broadcast=False)
    assert browser_for(UserFactory()).get(f"/messages/c/{conversation.pk}/").status_code == 404
    assert browser_for(UserFactory()).post(f"/messages/c/{conversation.pk}/send/", {"text": "x"}).status_code == 404
    foreign_staff = staff_of(StoreFactory())
    assert browser_for(foreign_staff).get(f"/seller/inbox/{conversation.pk}/").status_code == 404
    assert browser_for(foreign_staff).post(f"/seller/inbox/{conversation.pk}/close/").status_code == 404
    inbox = browser_for(foreign_staff).get("/seller/inbox/").content.decode()
    assert f'data-id="{conversation.pk}"' not in inbox and 'data-testid="inbox-row"' not in inbox
    operations = staff_of(conversation.store, StaffRole.OPERATIONS)
    assert browser_for(operations).get("/seller/inbox/").status_code == 403
    assert ChatMessage.objects.count() == 1


def test_customer_service_answers_assigns_and_closes_from_the_inbox():
    conversation = ConversationFactory()
    chat.post_message(conversation.pk, conversation.shopper, text="在吗", broadcast=False)
    agent, colleague = staff_of(conversation.store), staff_of(conversation.store)
    client = browser_for(agent)
    inbox = client.get("/seller/inbox/").content.decode()
    assert f'data-id="{conversation.pk}"' in inbox and 'data-testid="inbox-unread">1<' in inbox
    assert 'data-testid="first-response"' in inbox
    detail = client.get(f"/seller/inbox/{conversation.pk}/")
    assert detail.status_code == 200 and "在吗" in detail.content.decode()
    conversation.refresh_from_db()
    assert conversation.store_unread == 0  # opening it reads it
    client.post(f"/messages/c/{conversation.pk}/send/", {"text": "在的"})
    client.post(f"/seller/inbox/{conversation.pk}/assign/", {"user": colleague.pk})
    client.post(f"/seller/inbox/{conversation.pk}/close/")
    conversation.refresh_from_db()
    assert conversation.assigned_to == colleague and conversation.status == Conversation.Status.CLOSED
    assert conversation.messages.last().side == ChatMessage.Side.STORE
    assert browser_for(conversation.shopper).get("/messages/").content.decode().count('data-testid="conversation"') == 1


def test_message_center_page_and_unread_badge():
    shopper = UserFactory()
    notifications.notify([shopper.pk], code="order_shipped", params={"suborder_number": "S77", "store_name": "好店"},
                         event_key="page:1")  # fmt: skip
    client = browser_for(shopper)
    assert 'data-testid="unread-total">1<' in client.get("/messages/badge/").content.decode()
    page = client.get("/messages/notifications/").content.decode()
    assert "S77" in page and 'data-code="order_shipped"' in page
    client.post("/messages/notifications/read/")
    assert "unread-total" not in client.get("/messages/badge/").content.decode()
    assert Client().get("/messages/notifications/").status_code == 302  # log in first


def test_merchant_notifications_page_in_the_workbench():
    store = StoreFactory()
    owner = store.merchant.owner
    notifications.notify([owner.pk], code="new_order", params={"suborder_number": "S88", "store_name": store.name},
                         event_key="page:2", store_id=store.pk)  # fmt: skip
    page = browser_for(owner).get("/seller/notifications/").content.decode()
    assert "S88" in page and 'data-code="new_order"' in page
