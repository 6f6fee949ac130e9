import io

import pytest

from messaging import demo, selectors
from messaging.models import ChatMessage, Conversation
from tests.accounts.factories import UserFactory
from tests.messaging.factories import staff_of
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_demo_chat_is_seeded_once_with_one_answered_and_one_waiting_question():
    store = StoreFactory(slug="youxuan-taobao")
    UserFactory(username="alice"), UserFactory(username="bob")
    staff_of(store, username="cs")
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Conversation.objects.count() == 2 and ChatMessage.objects.count() == 3
    assert selectors.first_response_by_store([store.pk])[store.pk]["answered"] == 1
    assert selectors.waiting_questions([store.pk]) == {store.pk: 1}
