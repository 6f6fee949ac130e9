"""Events: queued in Redis on the request (no database write), written in batches by the worker's flush, skipped
for opted-out shoppers, purged after 180 days."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insight import events, services
from insight.models import Event
from tests.accounts.factories import UserFactory
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
