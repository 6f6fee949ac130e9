"""The chat API: opening conversations, messages, the staff inbox's scoping, assignment, unread counts."""

import pytest
from rest_framework.test import APIClient

from messaging import selectors
from messaging.models import Conversation, FirstResponse
from shops.models import StaffRole
from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory, staff_of
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def say(user, conversation_id, **body):
    return client_for(user).post(f"/api/v1/chat/conversations/{conversation_id}/messages/", body, format="json")


def test_a_shopper_opens_one_conversation_per_store_and_talks():
    store = StoreFactory()
    shopper = UserFactory()
    client = client_for(shopper)
    first = client.post("/api/v1/chat/conversations/", {"store": store.slug}, format="json")
    again = client.post("/api/v1/chat/conversations/", {"store": store.slug}, format="json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    conversation_id = first.json()["id"]
    sent = say(shopper, conversation_id, text="<b>hi</b>")
    assert sent.status_code == 201, sent.json()
    assert sent.json()["text"] == "<b>hi</b>" and "&lt;b&gt;" in sent.json()["html"]
    history = client.get(f"/api/v1/chat/conversations/{conversation_id}/messages/").json()
    assert [m["text"] for m in history] == ["<b>hi</b>"]
    listed = client.get("/api/v1/chat/conversations/").json()["results"]
    assert [c["id"] for c in listed] == [conversation_id] and listed[0]["unread"] == 0


def test_store_staff_cannot_chat_with_their_own_store_as_a_shopper():
    store = StoreFactory()
    response = client_for(store.merchant.owner).post("/api/v1/chat/conversations/", {"store": store.slug})
    assert response.status_code == 400 and response.json()["code"] == "own_store"
    assert not Conversation.objects.exists()


def test_another_shopper_and_another_merchant_get_404_everywhere():
    conversation = ConversationFactory()
    say(conversation.shopper, conversation.pk, text="private question")
    other_merchant_staff = staff_of(StoreFactory())
    for outsider in (UserFactory(), other_merchant_staff):
        client = client_for(outsider)
        base = f"/api/v1/chat/conversations/{conversation.pk}/"
        assert client.get(base).status_code == 404
        assert client.get(base + "messages/").status_code == 404
        assert client.post(base + "messages/", {"text": "x"}).status_code == 404
        assert client.post(base + "read/").status_code == 404
        assert client.post(f"/api/v1/seller/chat/conversations/{conversation.pk}/close/").status_code == 404
        assert (
            client.post(f"/api/v1/seller/chat/conversations/{conversation.pk}/assign/", {"user": None}).status_code
            == 404
        )
    inbox = client_for(other_merchant_staff).get("/api/v1/seller/chat/conversations/").json()
    assert inbox["count"] == 0
    # the shopper is not staff: their own conversation is not in any inbox of theirs, and they cannot close it
    assert client_for(conversation.shopper).get("/api/v1/seller/chat/conversations/").json()["count"] == 0
    assert (
        client_for(conversation.shopper).post(f"/api/v1/seller/chat/conversations/{conversation.pk}/close/").status_code
        == 404
    )
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN


def test_the_shared_inbox_covers_all_the_staff_members_stores_and_filters_by_store():
    taobao = StoreFactory()
    tmall = StoreFactory(merchant=taobao.merchant)
    agent = staff_of(taobao)
    from shops.models import StoreStaff

    StoreStaff.objects.create(store=tmall, user=agent, role=StaffRole.CUSTOMER_SERVICE)
    operations = staff_of(taobao, StaffRole.OPERATIONS)
    at_taobao, at_tmall = ConversationFactory(store=taobao), ConversationFactory(store=tmall)
    ConversationFactory()  # another merchant's
    client = client_for(agent)
    everything = client.get("/api/v1/seller/chat/conversations/").json()
    assert {c["id"] for c in everything["results"]} == {at_taobao.pk, at_tmall.pk}
    only_tmall = client.get(f"/api/v1/seller/chat/conversations/?store={tmall.pk}").json()
    assert [c["id"] for c in only_tmall["results"]] == [at_tmall.pk]
    assert client.get("/api/v1/seller/chat/conversations/?store=abc").status_code == 400
    # operations staff do not chat (shops.permissions): no inbox, and the conversation is a 404
    assert client_for(operations).get("/api/v1/seller/chat/conversations/").json()["count"] == 0
    assert client_for(operations).get(f"/api/v1/chat/conversations/{at_taobao.pk}/").status_code == 404


def test_assign_to_a_colleague_only_and_close_then_the_shopper_reopens():
    conversation = ConversationFactory()
    agent, colleague = staff_of(conversation.store), staff_of(conversation.store)
    outsider = staff_of(StoreFactory())
    client = client_for(agent)
    url = f"/api/v1/seller/chat/conversations/{conversation.pk}/"
    assert client.post(url + "assign/", {"user": colleague.pk}, format="json").json()["assigned_to"] == colleague.pk
    refused = client.post(url + "assign/", {"user": outsider.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_assignee"
    assert client.post(url + "close/").json()["status"] == "closed"
    assert client_for(agent).get("/api/v1/seller/chat/conversations/?status=open").json()["count"] == 0
    say(conversation.shopper, conversation.pk, text="one more thing")
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN and conversation.assigned_to == colleague


def test_unread_counts_follow_both_sides():
    conversation = ConversationFactory()
    agent = staff_of(conversation.store)
    say(conversation.shopper, conversation.pk, text="one")
    say(conversation.shopper, conversation.pk, text="two")
    unread = client_for(agent).get("/api/v1/me/unread/").json()
    assert unread["store_chat"] == 2 and unread["store_chat_by_store"] == {str(conversation.store_id): 2}
    assert client_for(conversation.store.merchant.owner).get("/api/v1/me/unread/").json()["store_chat"] == 2
    client_for(agent).post(f"/api/v1/chat/conversations/{conversation.pk}/read/")
    assert client_for(agent).get("/api/v1/me/unread/").json()["store_chat"] == 0
    say(agent, conversation.pk, text="answer")
    assert client_for(conversation.shopper).get("/api/v1/me/unread/").json()["chat"] == 1


def test_first_response_time_is_measured_per_question_and_readable_by_store():
    conversation = ConversationFactory()
    agent = staff_of(conversation.store)
    say(conversation.shopper, conversation.pk, text="q1")
    say(conversation.shopper, conversation.pk, text="q1 again")  # same question still waiting
    say(agent, conversation.pk, text="a1")
    say(agent, conversation.pk, text="a1 more")  # not a first response
    say(conversation.shopper, conversation.pk, text="q2")
    assert FirstResponse.objects.filter(store=conversation.store).count() == 1
    figures = selectors.first_response_by_store([conversation.store_id])[conversation.store_id]
    assert figures["answered"] == 1
    rows = client_for(agent).get("/api/v1/seller/chat/first-response/").json()
    assert rows == [{"store": conversation.store_id, **figures, "waiting": 1}]


def test_order_cards_only_for_the_shoppers_own_orders_at_this_store():
    shopper, address = shopper_with_address()
    sku = sku_in()
    store = sku.product.store
    own, _ = buy(shopper, address, (sku, 1))
    elsewhere, _ = buy(shopper, address, (sku_in(), 1))
    conversation = ConversationFactory(shopper=shopper, store=store)
    agent = staff_of(store)
    ok = say(agent, conversation.pk, order=own.suborders.get().number)
    assert ok.status_code == 201 and ok.json()["card"]["number"] == own.suborders.get().number
    refused = say(shopper, conversation.pk, order=elsewhere.suborders.get().number)
    assert refused.status_code == 404
    both = say(shopper, conversation.pk, text="x", product=sku.product.pk)
    assert both.status_code == 400


def test_chat_endpoints_are_in_the_openapi_schema():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/chat/conversations/",
        "/api/v1/chat/conversations/{id}/messages/",
        "/api/v1/seller/chat/conversations/",
        "/api/v1/me/unread/",
        "/api/v1/me/notifications/",
    ):
        assert path in schema["paths"], path
