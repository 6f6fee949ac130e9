"""Events: queued in Redis on the request (no database write), written in batches by the worker's flush, skipped
for opted-out shoppers, purged after 180 days."""

import datetime

import pytest
import redis
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from redis.connection import AbstractConnection

from customers.models import Footprint
from customers.services import footprints
from insight import events, services
from insight.models import Event
from marketplace import redis_writes
from tests.accounts.factories import PASSWORD, UserFactory
from tests.orders.helpers import sku_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_queue():
    events.client().delete(events.queue_key())
    yield
    events.client().delete(events.queue_key())


def test_views_and_searches_are_queued_then_written_in_one_batch(client):
    sku = sku_in(price="10.00")
    product_id = sku.product_id
    client.get(f"/p/{product_id}/")  # renders and caches the page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/p/{product_id}/?src=rec")  # the cached page: still recorded
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    client.get("/search/", {"q": "dress"})
    assert events.pending() == 3 and Event.objects.count() == 0
    visitor = client.cookies[events.VISITOR_COOKIE].value

    assert events.flush() == 3
    rows = list(Event.objects.order_by("pk"))
    assert [row.kind for row in rows] == ["product_view", "product_view", "search"]
    assert {row.visitor for row in rows} == {f"a{visitor}"}
    assert rows[0].store_id == sku.store_id and rows[1].source == "recommendation" and rows[2].query == "dress"
    assert events.pending() == 0


def test_signed_in_shopper_is_recorded_by_user_and_add_to_cart_is_an_event(client, django_capture_on_commit_callbacks):
    sku = sku_in(price="10.00")
    shopper = UserFactory()
    client.force_login(shopper)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cart/items/", {"sku": sku.pk, "quantity": 1})
    client.get(f"/p/{sku.product_id}/")
    events.flush()
    assert set(Event.objects.values_list("kind", "visitor", "user_id")) == {
        ("add_to_cart", f"u{shopper.pk}", shopper.pk),
        ("product_view", f"u{shopper.pk}", shopper.pk),
    }


def test_opted_out_shopper_is_not_recorded_and_history_is_forgotten(client):
    sku = sku_in(price="10.00")
    shopper = UserFactory()
    client.force_login(shopper)
    client.get(f"/p/{sku.product_id}/")
    events.flush()
    assert Event.objects.filter(user=shopper).count() == 1
    response = client.post("/account/tracking/", {"opted_out": "1"})
    assert response.status_code == 302 and client.cookies[events.OPT_OUT_COOKIE].value == "1"
    assert Event.objects.filter(user=shopper).count() == 0
    client.get(f"/p/{sku.product_id}/")
    assert events.pending() == 0
    # Even without the cookie (another browser), the worker drops the shopper's events.
    client.cookies.pop(events.OPT_OUT_COOKIE)
    client.get(f"/p/{sku.product_id}/")
    events.flush()
    assert Event.objects.filter(user=shopper).count() == 0
    services.set_opt_out(shopper, False)
    client.get(f"/p/{sku.product_id}/")
    events.flush()
    assert Event.objects.filter(user=shopper).count() == 1


def test_events_older_than_180_days_are_purged():
    now = timezone.now()
    for days in (181, 179):
        at = now - datetime.timedelta(days=days)
        Event.objects.create(kind="search", at=at, day=at.date(), visitor="a1", query=str(days))
    with time_machine.travel(now, tick=False):
        assert events.purge() == 1
    assert list(Event.objects.values_list("query", flat=True)) == ["179"]
    with time_machine.travel(now + datetime.timedelta(days=2), tick=False):
        assert events.purge() == 1
    assert not Event.objects.exists()


def test_live_room_visits_and_api_views_are_recorded_and_the_api_opt_out_works(client):
    from rest_framework.test import APIClient

    from tests.livestream.factories import StreamFactory

    stream = StreamFactory(live=True)
    assert client.get(f"/live/{stream.pk}/").status_code == 200
    sku = sku_in(stream.store, price="10.00")
    shopper = UserFactory()
    api = APIClient()
    api.force_authenticate(shopper)
    assert api.get(f"/api/v1/products/{sku.product_id}/").status_code == 200
    APIClient().get(f"/api/v1/products/{sku.product_id}/")  # anonymous, no cookie: no stable id, not recorded
    events.flush()
    assert set(Event.objects.values_list("kind", "store_id", "user_id")) == {
        ("live_visit", stream.store_id, None),
        ("product_view", stream.store_id, shopper.pk),
    }
    assert api.put("/api/v1/me/tracking/", {"opted_out": True}, format="json").json() == {"opted_out": True}
    assert not Event.objects.filter(user=shopper).exists()
    api.get(f"/api/v1/products/{sku.product_id}/")
    events.flush()
    assert not Event.objects.filter(user=shopper).exists()
    assert api.get("/api/v1/me/tracking/").json() == {"opted_out": True}


@pytest.fixture
def redis_packets(monkeypatch):
    """Every packet sent to Redis by any client (the page cache and sessions too), as bytes."""
    sent = []
    original = AbstractConnection.send_packed_command

    def spy(self, command, check_health=True):
        sent.append(b"".join(command) if isinstance(command, list | tuple) else command)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", spy)
    return sent


def test_a_product_page_records_the_event_and_the_footprint_in_one_round_trip(client, redis_packets):
    footprints.client().delete(footprints.queue_key())
    shopper = UserFactory()
    sku = sku_in(price="10.00")
    client.login(username=shopper.username, password=PASSWORD)
    client.get(f"/p/{sku.product_id}/")  # renders and caches the page
    events.client().delete(events.queue_key())
    footprints.client().delete(footprints.queue_key())
    redis_packets.clear()
    assert client.get(f"/p/{sku.product_id}/").status_code == 200
    writes = [p for p in redis_packets if events.queue_key().encode() in p or footprints.queue_key().encode() in p]
    assert len(writes) == 1  # one pipeline: RPUSH of the event, LPUSH of the footprint
    assert events.queue_key().encode() in writes[0] and footprints.queue_key().encode() in writes[0]
    assert events.pending() == 1 and footprints.client().llen(footprints.queue_key()) == 1
    footprints.flush()
    assert list(Footprint.objects.values_list("shopper_id", "product_id")) == [(shopper.pk, sku.product_id)]


def test_opting_out_of_events_keeps_the_footprints(client, redis_packets):
    """Footprints are the shopper's own list (deletable on its page), not analytics: the opt-out stops events only."""
    footprints.client().delete(footprints.queue_key())
    shopper = UserFactory()
    sku = sku_in(price="10.00")
    client.login(username=shopper.username, password=PASSWORD)
    client.cookies[events.OPT_OUT_COOKIE] = "1"
    redis_packets.clear()
    assert client.get(f"/p/{sku.product_id}/").status_code == 200
    assert len([p for p in redis_packets if footprints.queue_key().encode() in p]) == 1
    assert events.pending() == 0 and footprints.client().llen(footprints.queue_key()) == 1


def test_pushes_outside_a_request_go_out_at_once_and_redis_being_down_breaks_nothing(monkeypatch):
    events.push("search", visitor="a1", q="dress")
    assert events.pending() == 1

    def down(*args, **kwargs):
        raise redis.ConnectionError("down")

    monkeypatch.setattr(AbstractConnection, "send_packed_command", down)
    with redis_writes.collected():
        events.push("search", visitor="a1", q="hat")
        redis_writes.push(footprints.queue_key(), "x|1|0", left=True)
    monkeypatch.undo()
    assert events.pending() == 1
