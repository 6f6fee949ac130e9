"""The livestream API: public reads, host actions scoped to own streams (404 otherwise), creator endpoints."""

from decimal import Decimal

import pytest

from livestream.models import Creator, CreatorPolicy, Stream
from tests.accounts.factories import UserFactory
from tests.livestream.factories import CreatorFactory, StreamFactory
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/live"


def test_public_list_and_detail(api_client):
    live = StreamFactory(live=True)
    StreamFactory()
    listing = api_client.get(f"{BASE}/streams/?state=live").json()
    assert [row["id"] for row in listing["results"]] == [live.pk]
    detail = api_client.get(f"{BASE}/streams/{live.pk}/").json()
    assert detail["source"] == f"live:{live.pk}" and detail["featured"] == []
    assert api_client.get(f"{BASE}/streams/999999/").status_code == 404


def test_store_host_full_flow_over_the_api(api_client):
    store = StoreFactory()
    product = ProductFactory(store=store)
    SKUFactory(product=product, price=Decimal("60.00"))
    api_client.force_authenticate(store.merchant.owner)
    created = api_client.post(
        f"{BASE}/host/streams/",
        {"title": "API 直播", "scheduled_at": "2030-01-01T12:00:00Z", "playback_url": "/v.mp4", "store": store.pk},
    )
    assert created.status_code == 201, created.json()
    stream_id = created.json()["id"]
    featured = api_client.post(
        f"{BASE}/host/streams/{stream_id}/products/", {"product": product.pk, "live_price": "50"}
    )
    assert featured.status_code == 201 and featured.json()["live_price"] == "50.00"
    featured_id = featured.json()["id"]
    assert api_client.post(f"{BASE}/host/streams/{stream_id}/pin/", {"featured": featured_id}).status_code == 400
    assert api_client.post(f"{BASE}/host/streams/{stream_id}/go-live/").json()["state"] == "live"
    pinned = api_client.post(f"{BASE}/host/streams/{stream_id}/pin/", {"featured": featured_id}).json()
    assert pinned["pinned"] == featured_id
    bad_pin = api_client.post(f"{BASE}/host/streams/{stream_id}/pin/", {"featured": 123456})
    assert bad_pin.status_code == 400 and bad_pin.json()["code"] == "not_featured"
    drop = api_client.post(
        f"{BASE}/host/streams/{stream_id}/coupons/", {"name": "券", "off": "5", "threshold": "30", "quantity": 2}
    )
    assert drop.status_code == 201 and drop.json()["remaining"] == 2
    price = api_client.patch(f"{BASE}/host/streams/{stream_id}/products/{featured_id}/", {"live_price": "70"})
    assert price.status_code == 400  # above the regular price
    viewer = UserFactory()
    assert api_client.post(f"{BASE}/host/streams/{stream_id}/mute/", {"user": viewer.pk}).status_code == 204
    ended = api_client.post(f"{BASE}/host/streams/{stream_id}/end/", {})
    assert ended.json()["state"] == "ended"
    late = api_client.post(
        f"{BASE}/host/streams/{stream_id}/coupons/", {"name": "券", "off": "5", "threshold": "30", "quantity": 2}
    )
    assert late.status_code == 400 and late.json()["code"] == "not_live"
    api_client.force_authenticate(viewer)
    claim = api_client.post(f"{BASE}/streams/{stream_id}/claim/", {"drop": drop.json()["id"]})
    assert claim.status_code == 400 and claim.json()["code"] == "not_live"


def test_hosts_get_404_for_streams_they_do_not_run(api_client):
    stream = StreamFactory()
    outsider = StoreFactory().merchant.owner
    api_client.force_authenticate(outsider)
    for method, path in [
        ("get", f"{BASE}/host/streams/{stream.pk}/"),
        ("post", f"{BASE}/host/streams/{stream.pk}/go-live/"),
        ("get", f"{BASE}/host/streams/{stream.pk}/metrics/"),
        ("post", f"{BASE}/host/streams/{stream.pk}/products/"),
        ("get", f"{BASE}/stores/{stream.store_id}/creator-policy/"),
    ]:
        assert getattr(api_client, method)(path, {}).status_code == 404, path
    created = api_client.post(
        f"{BASE}/host/streams/", {"title": "x", "scheduled_at": "2030-01-01T12:00:00Z", "store": stream.store_id}
    )
    assert created.status_code == 404
    stream.refresh_from_db()
    assert stream.state == Stream.State.SCHEDULED
    assert api_client.get(f"{BASE}/host/streams/").json()["results"] == []


def test_creator_profile_policy_and_creator_streams(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    assert api_client.get(f"{BASE}/creator/profile/").status_code == 404
    no_profile = api_client.post(f"{BASE}/host/streams/", {"title": "x", "scheduled_at": "2030-01-01T12:00:00Z"})
    assert no_profile.status_code == 400
    assert api_client.put(f"{BASE}/creator/profile/", {"display_name": "阿May"}).status_code == 200
    assert Creator.objects.get(user=user).display_name == "阿May"
    stream_id = api_client.post(
        f"{BASE}/host/streams/", {"title": "达人场", "scheduled_at": "2030-01-01T12:00:00Z"}
    ).json()["id"]
    closed = ProductFactory()
    refused = api_client.post(f"{BASE}/host/streams/{stream_id}/products/", {"product": closed.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "store_disallows_creators"

    owner = closed.store.merchant.owner
    api_client.force_authenticate(owner)
    put = api_client.put(
        f"{BASE}/stores/{closed.store_id}/creator-policy/", {"allows_creators": True, "commission_rate": "0.08"}
    )
    assert put.status_code == 200
    assert CreatorPolicy.objects.get(store=closed.store).commission_rate == Decimal("0.080")
    api_client.force_authenticate(user)
    accepted = api_client.post(f"{BASE}/host/streams/{stream_id}/products/", {"product": closed.pk})
    assert accepted.status_code == 201 and accepted.json()["commission_rate"] == "0.080"
    other_creator = CreatorFactory()  # a second creator never sees this stream
    api_client.force_authenticate(other_creator.user)
    assert api_client.get(f"{BASE}/host/streams/{stream_id}/").status_code == 404


def test_schema_documents_the_live_api(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/live/streams/",
        "/api/v1/live/streams/{id}/claim/",
        "/api/v1/live/host/streams/{id}/go-live/",
        "/api/v1/live/host/streams/{id}/metrics/",
        "/api/v1/live/host/streams/{id}/coupons/",
        "/api/v1/live/creator/profile/",
        "/api/v1/live/stores/{store_id}/creator-policy/",
    ]:
        assert path in paths, path
