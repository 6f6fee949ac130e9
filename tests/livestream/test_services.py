"""Host rules: what a store or creator may feature, live prices through promotions, coupon drops, lifecycle."""

from decimal import Decimal

import pytest

from livestream import services
from livestream.models import Stream
from marketplace.api import DomainError
from promotions.models import CouponTemplate, StorePromotion
from tests.livestream.factories import CreatorFactory, CreatorPolicyFactory, CreatorStreamFactory, StreamFactory
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db


def product_of(store, price="100.00"):
    product = ProductFactory(store=store)
    SKUFactory(product=product, price=Decimal(price))
    return product


def test_store_stream_lifecycle_opens_and_closes_live_prices():
    stream = StreamFactory()
    host = stream.store.merchant.owner
    featured = services.feature_product(stream, product_of(stream.store), live_price="79.00")
    promotion = StorePromotion.objects.get(pk=featured.live_promotion_id)
    assert promotion.live_stream_id == stream.pk and promotion.value == Decimal("79.00")
    assert not promotion.live_open  # not live yet: regular price

    services.go_live(stream, by=host)
    promotion.refresh_from_db()
    assert promotion.live_open

    services.end_stream(stream, by=host)
    stream.refresh_from_db()
    promotion.refresh_from_db()
    assert stream.state == Stream.State.ENDED and stream.replay_url == stream.playback_url
    assert not promotion.live_open
    with pytest.raises(DomainError):
        services.go_live(stream, by=host)


def test_live_price_must_be_below_the_regular_price():
    stream = StreamFactory()
    featured = services.feature_product(stream, product_of(stream.store, "50.00"))
    for bad in ["50.00", "60", "0", "-1", "abc"]:
        with pytest.raises(DomainError):
            services.set_live_price(featured, bad)
    assert not StorePromotion.objects.exists()
    services.set_live_price(featured, "45.50")
    services.set_live_price(featured, None)
    assert not StorePromotion.objects.get().is_active


def test_a_store_stream_features_only_its_own_active_products():
    stream = StreamFactory()
    with pytest.raises(DomainError) as refused:
        services.feature_product(stream, product_of(StoreFactory()))
    assert refused.value.code == "other_store"
    off_shelf = product_of(stream.store)
    off_shelf.status = off_shelf.Status.DISABLED
    off_shelf.save()
    with pytest.raises(DomainError):
        services.feature_product(stream, off_shelf)
    mine = product_of(stream.store)
    services.feature_product(stream, mine)
    with pytest.raises(DomainError) as twice:
        services.feature_product(stream, mine)
    assert twice.value.code == "already_featured"


def test_a_creator_features_only_stores_that_allow_it_at_the_merchants_rate():
    stream = CreatorStreamFactory()
    closed_store = StoreFactory()
    with pytest.raises(DomainError) as refused:
        services.feature_product(stream, product_of(closed_store))
    assert refused.value.code == "store_disallows_creators"
    CreatorPolicyFactory(store=closed_store, allows_creators=False)
    with pytest.raises(DomainError):
        services.feature_product(stream, product_of(closed_store))
    assert not stream.featured.exists()

    policy = CreatorPolicyFactory(commission_rate=Decimal("0.200"))
    featured = services.feature_product(stream, product_of(policy.store))
    assert featured.commission_rate == Decimal("0.200")


def test_coupon_drops_only_while_live_and_only_by_stores():
    stream = StreamFactory()
    host = stream.store.merchant.owner
    drop = {"name": "直播专享", "off": "10.00", "threshold": "99.00", "quantity": 5}
    with pytest.raises(DomainError) as not_live:
        services.drop_coupon(stream, by=host, **drop)
    assert not_live.value.code == "not_live"
    services.go_live(stream, by=host)
    made = services.drop_coupon(stream, by=host, **drop)
    template = made.template
    assert template.channel == CouponTemplate.Channel.LIVE and template.live_stream_id == stream.pk
    with pytest.raises(DomainError):
        services.drop_coupon(stream, by=host, **{**drop, "off": "0"})
    with pytest.raises(DomainError):
        services.drop_coupon(stream, by=host, **{**drop, "quantity": 0})
    services.end_stream(stream, by=host)
    with pytest.raises(DomainError) as ended:
        services.drop_coupon(stream, by=host, **drop)
    assert ended.value.code == "not_live"
    with pytest.raises(DomainError) as late_claim:
        services.claim_drop(stream.pk, made.pk, StoreFactory().merchant.owner)
    assert late_claim.value.code == "not_live"

    creator_stream = CreatorStreamFactory(state=Stream.State.SCHEDULED)
    services.go_live(creator_stream, by=creator_stream.creator.user)
    with pytest.raises(DomainError) as creator:
        services.drop_coupon(creator_stream, by=creator_stream.creator.user, **drop)
    assert creator.value.code == "creator_cannot_drop"


def test_hosts_only_see_their_own_streams():
    stream = StreamFactory()
    other = StreamFactory()
    creator = CreatorFactory()
    creator_stream = CreatorStreamFactory(creator=creator)
    owner = stream.store.merchant.owner
    assert list(services.managed_streams(owner)) == [stream]
    assert list(services.managed_streams(creator.user)) == [creator_stream]
    from django.http import Http404

    with pytest.raises(Http404):
        services.managed_stream(owner, other.pk)
    with pytest.raises(Http404):
        services.managed_stream(creator.user, stream.pk)


def test_removing_the_pinned_product_clears_the_pin():
    stream = StreamFactory()
    featured = services.feature_product(stream, product_of(stream.store))
    services.go_live(stream, by=stream.store.merchant.owner)
    services.pin(stream, featured.pk)
    services.remove_featured(stream, featured.pk)
    stream.refresh_from_db()
    assert stream.pinned is None


def test_watch_time_grows_with_heartbeats_but_never_more_than_the_cap():
    import datetime

    from livestream.models import ViewerSession

    stream = StreamFactory(live=True)
    services.record_presence(stream.pk, connection="c1", key="s-abc", user=None)
    session = ViewerSession.objects.get(stream=stream, viewer_key="s-abc")
    ViewerSession.objects.filter(pk=session.pk).update(last_seen=session.last_seen - datetime.timedelta(seconds=12))
    services.record_presence(stream.pk, connection="c1", key="s-abc", user=None)
    session.refresh_from_db()
    assert 12 <= session.watch_seconds <= 13
    # a client silent for ten minutes is credited the cap, not ten minutes
    ViewerSession.objects.filter(pk=session.pk).update(last_seen=session.last_seen - datetime.timedelta(minutes=10))
    services.record_presence(stream.pk, connection="c1", key="s-abc", user=None)
    session.refresh_from_db()
    assert session.watch_seconds <= 13 + services.HEARTBEAT_CREDIT_CAP
    # a second tab of the same viewer is one viewer, not two
    services.record_presence(stream.pk, connection="c2", key="s-abc", user=None)
    assert ViewerSession.objects.filter(stream=stream).count() == 1


def test_a_batch_of_heartbeats_credits_watch_time_and_counts_viewers_as_one_at_a_time_would():
    import datetime

    import time_machine
    from django.utils import timezone

    from livestream import realtime
    from livestream.models import ViewerSession
    from tests.accounts.factories import UserFactory

    stream = StreamFactory(live=True)
    shopper = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.record_presence(stream.pk, connection="c1", key="s-old", user=None)
        services.record_presence(stream.pk, connection="c2", key="s-away", user=None)
    with time_machine.travel(start + datetime.timedelta(seconds=12), tick=False):
        watching = services.record_heartbeats(stream.pk, [
            ("c1", "s-old", None),
            ("c3", f"u{shopper.pk}", shopper.pk),  # first seen in this batch
            ("c4", f"u{shopper.pk}", shopper.pk),  # the same shopper's second tab
        ])  # fmt: skip
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        services.record_heartbeats(stream.pk, [("c2", "s-away", None)])

    sessions = {session.viewer_key: session for session in ViewerSession.objects.filter(stream=stream)}
    assert watching == 4  # c1, c2 (still fresh), c3, c4
    assert sessions["s-old"].watch_seconds == 12
    assert sessions["s-away"].watch_seconds == services.HEARTBEAT_CREDIT_CAP  # silent ten minutes: the cap
    mine = sessions[f"u{shopper.pk}"]
    assert mine.user == shopper and mine.watch_seconds == 0 and len(sessions) == 3
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        assert services.record_heartbeats(stream.pk, []) == realtime.watching(stream.pk) == 1  # c2 alone is fresh


def test_a_promotions_validation_error_becomes_one_message_for_the_room():
    from django.core.exceptions import ValidationError

    from livestream.services.featured import promotions_errors

    with pytest.raises(DomainError) as refused, promotions_errors():
        raise ValidationError({"value": ["Too low."], "skus": ["Choose one."]})
    assert refused.value.code == "invalid" and refused.value.message == "Too low. Choose one."
    with pytest.raises(KeyError), promotions_errors():
        raise KeyError("not a validation error: passes through")
