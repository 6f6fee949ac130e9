import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from livestream.models import Creator, CreatorPolicy, Stream
from tests.accounts.factories import UserFactory
from tests.shops.factories import StoreFactory


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"达人 {n}")


class CreatorPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreatorPolicy

    store = factory.SubFactory(StoreFactory)
    allows_creators = True
    commission_rate = Decimal("0.150")


class StreamFactory(factory.django.DjangoModelFactory):
    """A scheduled store stream; ``StreamFactory(live=True)`` starts it."""

    class Meta:
        model = Stream

    class Params:
        live = factory.Trait(state=Stream.State.LIVE, started_at=factory.LazyFunction(timezone.now))

    title = factory.Sequence(lambda n: f"直播 {n}")
    host_kind = Stream.HostKind.STORE
    store = factory.SubFactory(StoreFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))
    playback_url = "/static/live/demo-feed.webp"


class CreatorStreamFactory(StreamFactory):
    host_kind = Stream.HostKind.CREATOR
    store = None
    creator = factory.SubFactory(CreatorFactory)
