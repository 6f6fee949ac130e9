import factory

from messaging.models import Conversation
from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import UserFactory
from tests.shops.factories import StoreFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    shopper = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)


def staff_of(store, role=StaffRole.CUSTOMER_SERVICE, **user_fields):
    """A new user with ``role`` in ``store`` (客服 by default)."""
    user = UserFactory(**user_fields)
    StoreStaff.objects.create(store=store, user=user, role=role)
    return user
