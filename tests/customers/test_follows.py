"""Follow stores, favourite products, footprints: API contract, idempotency, isolation between shoppers, and the
cheap view recording of the cached product page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import Footprint, ProductFavourite, StoreFollow
from customers.services import footprints
from tests.accounts.factories import PASSWORD, UserFactory
from tests.customers.helpers import token_client
from tests.shops.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_follow_unfollow_and_my_follows():
    store, other = StoreFactory(), StoreFactory()
    shopper = UserFactory()
    client = token_client(shopper)

    first = client.post(f"/api/v1/stores/{store.slug}/follow/")
    again = client.post(f"/api/v1/stores/{store.slug}/follow/")
    client.post(f"/api/v1/stores/{other.slug}/follow/")
    token_client(UserFactory()).post(f"/api/v1/stores/{store.slug}/follow/")

    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == {"store": store.slug, "following": True, "followers": 1}
    assert again.json()["followers"] == 1
    mine = client.get("/api/v1/me/follows/").json()["results"]
    assert [row["store"]["slug"] for row in mine] == [other.slug, store.slug]
    assert {row["store"]["slug"]: row["followers"] for row in mine} == {other.slug: 1, store.slug: 2}

    assert client.delete(f"/api/v1/stores/{store.slug}/follow/").status_code == 204
    assert client.delete(f"/api/v1/stores/{store.slug}/follow/").status_code == 204  # idempotent
    assert [row["store"]["slug"] for row in client.get("/api/v1/me/follows/").json()["results"]] == [other.slug]
    assert StoreFollow.objects.filter(store=store).count() == 1  # the other shopper still follows


def test_follow_needs_a_login_and_an_existing_open_store():
    store = StoreFactory()
    assert APIClient().post(f"/api/v1/stores/{store.slug}/follow/").status_code in (401, 403)
    assert APIClient().get("/api/v1/me/follows/").status_code in (401, 403)
    client = token_client(UserFactory())
    assert client.post("/api/v1/stores/no-such-store/follow/").status_code == 404
    closed = StoreFactory(status="pending")
    response = client.post(f"/api/v1/stores/{closed.slug}/follow/")
    assert response.status_code == 404 and response.json()["code"] == "store_not_open"


def test_a_follower_shows_in_the_merchants_follower_segment():
    store = StoreFactory()
    shopper = UserFactory()
    token_client(shopper).post(f"/api/v1/stores/{store.slug}/follow/")
    owner = token_client(store.merchant.owner)
    rows = owner.get("/api/v1/seller/customers/", {"segment": "follower"}).json()["results"]
    assert [row["shopper"]["id"] for row in rows] == [shopper.pk]


def test_favourites():
    product = ProductFactory()
    shopper = UserFactory()
    client = token_client(shopper)
    assert client.post(f"/api/v1/products/{product.pk}/favourite/").status_code == 201
    assert client.post(f"/api/v1/products/{product.pk}/favourite/").status_code == 200
    rows = client.get("/api/v1/me/favourites/").json()["results"]
    assert [row["product"]["id"] for row in rows] == [product.pk]
    assert token_client(UserFactory()).get("/api/v1/me/favourites/").json()["results"] == []
    assert client.delete(f"/api/v1/products/{product.pk}/favourite/").status_code == 204
    assert not ProductFavourite.objects.exists()
    assert client.post("/api/v1/products/999999/favourite/").status_code == 404


def test_footprints_last_90_days_and_deletable_by_their_owner_only():
    shopper, stranger = UserFactory(), UserFactory()
    recent, old = ProductFactory(), ProductFactory()
    footprints.record(shopper, recent.pk)
    footprints.record(shopper, old.pk, at=timezone.now() - datetime.timedelta(days=91))
    client = token_client(shopper)

    rows = client.get("/api/v1/me/footprints/").json()["results"]
    assert [row["product"]["id"] for row in rows] == [recent.pk]
    assert footprints.purge() == 1

    mine = Footprint.objects.get(shopper=shopper)
    assert token_client(stranger).delete(f"/api/v1/me/footprints/{mine.pk}/").status_code == 404
    assert client.delete(f"/api/v1/me/footprints/{mine.pk}/").status_code == 204
    footprints.record(shopper, recent.pk)
    assert client.delete("/api/v1/me/footprints/").json() == {"deleted": 1}


def test_viewing_a_cached_product_page_is_noted_in_redis_and_flushed_as_a_footprint(client):
    footprints.client().delete(footprints.queue_key())
    product = ProductFactory()
    shopper = UserFactory()
    anonymous_product = ProductFactory()

    assert client.get(f"/p/{anonymous_product.pk}/").status_code == 200  # no session: nothing noted
    assert footprints.client().llen(footprints.queue_key()) == 0
    client.login(username=shopper.username, password=PASSWORD)
    for _ in range(3):  # the second and third views come from the shared page cache
        assert client.get(f"/p/{product.pk}/").status_code == 200
    assert footprints.client().llen(footprints.queue_key()) == 3
    assert not Footprint.objects.exists()  # no database write on the page's path

    assert footprints.flush() == 1
    assert list(Footprint.objects.values_list("shopper_id", "product_id")) == [(shopper.pk, product.pk)]
    assert footprints.client().llen(footprints.queue_key()) == 0
