"""Pages: the live list and room for shoppers, the workbench console and metrics, creator pages; scoping."""

from decimal import Decimal

import pytest

from livestream import services
from livestream.models import Creator, CreatorPolicy, Stream
from orders.models import CartItem
from tests.accounts.factories import UserFactory
from tests.livestream.factories import CreatorPolicyFactory, CreatorStreamFactory, StreamFactory
from tests.shops.factories import ProductFactory, SKUFactory

pytestmark = pytest.mark.django_db


def featured_stream(live=True, price="100.00"):
    stream = StreamFactory()
    product = ProductFactory(store=stream.store, title="真丝衬衫")
    sku = SKUFactory(product=product, price=Decimal(price))
    featured = services.feature_product(stream, product, live_price="88.00")
    if live:
        services.go_live(stream, by=stream.store.merchant.owner)
    return stream, featured, sku


def test_live_list_and_watch_page_for_anyone(client):
    stream, _featured, sku = featured_stream()
    page = client.get("/live/")
    assert page.status_code == 200 and stream.title in page.content.decode()
    room = client.get(f"/live/{stream.pk}/")
    html = room.content.decode()
    assert room.status_code == 200
    assert 'data-testid="live-room"' in html and f'data-ws="/ws/live/{stream.pk}/"' in html
    assert "真丝衬衫" in html and "88.00" in html
    assert f'value="{sku.pk}"' in html and 'data-testid="login-to-chat"' in html
    assert client.get("/live/999999/").status_code == 404
    assert client.get("/live/99999999999999999999999/").status_code == 404


def test_a_stream_card_without_a_cover_reads_in_the_readers_language(client):
    stream, _featured, _sku = featured_stream()
    client.cookies["django_language"] = "zh-hans"
    card = client.get("/live/").content.decode().split(f'data-stream="{stream.pk}"')[1].split("</a>")[0]
    assert '<div class="live-cover-blank">直播</div>' in card and "LIVE" not in card


def test_add_to_cart_from_the_room_carries_the_stream_source(client):
    stream, _featured, sku = featured_stream()
    shopper = UserFactory()
    anonymous = client.post(f"/live/{stream.pk}/cart/", {"sku": sku.pk, "quantity": 1}, HTTP_HX_REQUEST="true")
    assert "Log in" in anonymous.content.decode()
    client.force_login(shopper)
    added = client.post(f"/live/{stream.pk}/cart/", {"sku": sku.pk, "quantity": 2}, HTTP_HX_REQUEST="true")
    assert added.status_code == 200 and 'data-testid="view-cart"' in added.content.decode()
    item = CartItem.objects.get(cart__shopper=shopper)
    assert item.source == f"live:{stream.pk}" and item.quantity == 2
    # a SKU that is not in the stream is refused, not silently attributed
    outsider = SKUFactory()
    refused = client.post(f"/live/{stream.pk}/cart/", {"sku": outsider.pk}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert not CartItem.objects.filter(sku=outsider).exists()


def test_store_host_runs_the_stream_from_the_workbench(client):
    stream, featured, _sku = featured_stream(live=False)
    client.force_login(stream.store.merchant.owner)
    assert client.get("/seller/live/").status_code == 200
    assert client.get(f"/seller/live/{stream.pk}/").status_code == 200
    client.post(f"/seller/live/{stream.pk}/action/go_live/")
    stream.refresh_from_db()
    assert stream.is_live
    client.post(f"/seller/live/{stream.pk}/action/pin/", {"featured": featured.pk})
    stream.refresh_from_db()
    assert stream.pinned_id == featured.pk
    page = client.post(
        f"/seller/live/{stream.pk}/action/drop/",
        {"name": "券", "off": "5", "threshold": "50", "quantity": "10", "per_shopper_limit": "1", "valid_days": "7"},
        follow=True,
    )
    assert "Coupon dropped" in page.content.decode()
    assert stream.coupon_drops.count() == 1
    bad = client.post(f"/seller/live/{stream.pk}/action/pin/", {"featured": 424242}, follow=True)
    assert "not in the stream" in bad.content.decode()
    client.post(f"/seller/live/{stream.pk}/action/end/")
    stream.refresh_from_db()
    assert stream.is_ended
    assert client.get(f"/seller/live/{stream.pk}/metrics/").status_code == 200


def test_a_merchant_never_sees_another_stores_stream(client):
    mine, _, _ = featured_stream(live=False)
    theirs, _, _ = featured_stream(live=False)
    client.force_login(mine.store.merchant.owner)
    assert client.get(f"/seller/live/{theirs.pk}/").status_code == 404
    assert client.get(f"/seller/live/{theirs.pk}/metrics/").status_code == 404
    assert client.post(f"/seller/live/{theirs.pk}/action/go_live/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Stream.State.SCHEDULED


def test_creating_a_stream_in_the_workbench(client):
    stream, _, _ = featured_stream(live=False)
    client.force_login(stream.store.merchant.owner)
    response = client.post(
        "/seller/live/new/",
        {"title": "新品发布", "scheduled_at": "2030-01-01T20:00", "playback_url": "https://cdn.example/live.m3u8"},
    )
    created = Stream.objects.get(title="新品发布")
    assert response.status_code == 302 and created.store == stream.store
    bad = client.post("/seller/live/new/", {"title": "", "scheduled_at": "", "playback_url": "ftp://x"})
    assert bad.status_code == 200 and Stream.objects.count() == 2


def test_creator_pages_need_a_profile_and_only_show_own_streams(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/creator/").url == "/creator/profile/"
    client.post("/creator/profile/", {"display_name": "小美", "bio": "穿搭"})
    creator = Creator.objects.get(user=user)
    assert client.get("/creator/").status_code == 200
    client.post(
        "/creator/live/new/", {"title": "达人专场", "scheduled_at": "2030-01-01T20:00", "playback_url": "/x.mp4"}
    )
    mine = Stream.objects.get(creator=creator)
    other = CreatorStreamFactory()
    assert client.get(f"/creator/live/{mine.pk}/").status_code == 200
    assert client.get(f"/creator/live/{other.pk}/").status_code == 404

    closed = ProductFactory()
    SKUFactory(product=closed)
    page = client.post(f"/creator/live/{mine.pk}/action/feature/", {"product": closed.pk}, follow=True)
    assert "does not let creators" in page.content.decode()
    policy = CreatorPolicyFactory()
    allowed = ProductFactory(store=policy.store)
    SKUFactory(product=allowed)
    client.post(f"/creator/live/{mine.pk}/action/feature/", {"product": allowed.pk})
    assert list(mine.featured.values_list("product_id", flat=True)) == [allowed.pk]


def test_merchant_sets_the_creator_policy(client):
    stream = StreamFactory()
    client.force_login(stream.store.merchant.owner)
    client.post("/seller/live/creators/", {"allows_creators": "on", "commission_rate": "0.12"})
    policy = CreatorPolicy.objects.get(store=stream.store)
    assert policy.allows_creators and policy.commission_rate == Decimal("0.120")
    bad = client.post("/seller/live/creators/", {"allows_creators": "on", "commission_rate": "5"})
    assert bad.status_code == 200
    policy.refresh_from_db()
    assert policy.commission_rate == Decimal("0.120")


def test_creator_stream_metrics_page(client):
    stream = CreatorStreamFactory()
    client.force_login(stream.creator.user)
    assert client.get(f"/creator/live/{stream.pk}/metrics/").status_code == 200


def test_operators_can_browse_streams_in_the_admin(client):
    from tests.accounts.factories import OperatorFactory

    stream = StreamFactory()
    operator = OperatorFactory(is_superuser=True)
    client.force_login(operator)
    assert client.get("/admin/livestream/stream/").status_code == 200
    assert client.get(f"/admin/livestream/stream/{stream.pk}/change/").status_code == 200
