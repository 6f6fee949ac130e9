"""The carrier webhook: signature, replay (timestamp and nonce), duplicates, unknown carriers, and the sandbox."""

import datetime
import json
import time

import pytest
import time_machine
from django.utils import timezone

from logistics.models import CarrierCallback, TrackingEvent
from logistics.services import tracking
from orders import services as order_services
from orders.models import SubOrder
from tests.logistics.helpers import event_body, paid_suborder, post_webhook, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    _shopper, suborder, _line = paid_suborder()
    ship(suborder)
    suborder.refresh_from_db()
    return suborder


def test_forged_signature_is_refused_and_changes_nothing(api_client, shipped):
    body = event_body(shipped, "picked_up", timezone.now())
    headers = tracking.signed_headers(body)
    headers[tracking.SIGNATURE_HEADER] = "0" * 64
    response = post_webhook(api_client, body, headers)
    assert response.status_code == 400 and "signature" in response.json()["detail"]
    tampered = body.replace(b"picked_up", b"delivered")
    assert post_webhook(api_client, tampered, tracking.signed_headers(body)).status_code == 400
    assert not TrackingEvent.objects.exists()
    assert CarrierCallback.objects.filter(accepted=False).count() == 2


def test_replayed_nonce_and_stale_timestamp_are_refused(api_client, shipped):
    body = event_body(shipped, "picked_up", timezone.now())
    headers = tracking.signed_headers(body)
    assert post_webhook(api_client, body, headers).status_code == 200
    again = post_webhook(api_client, body, headers)
    assert again.status_code == 400 and "replay" in again.json()["detail"]
    old_body = event_body(shipped, "in_transit", timezone.now())
    stale = tracking.signed_headers(old_body, timestamp=int(time.time()) - 3600)
    assert post_webhook(api_client, old_body, stale).status_code == 400
    assert TrackingEvent.objects.count() == 1


def test_the_same_event_twice_is_acknowledged_and_stored_once(api_client, shipped):
    body = event_body(shipped, "in_transit", timezone.now(), event_id="EV-1")
    assert post_webhook(api_client, body).status_code == 200
    second = post_webhook(api_client, body)  # a new nonce: a carrier retry, not a replay
    assert second.status_code == 200 and "duplicate" in second.json()["detail"]
    assert TrackingEvent.objects.count() == 1


def test_unknown_carrier_parcel_or_status_is_refused(api_client, shipped):
    now = timezone.now()
    for body in (
        event_body(shipped, "in_transit", now, carrier="Pigeon Post"),
        event_body(shipped, "in_transit", now, tracking_number="NOPE"),
        event_body(shipped, "teleported", now),
        json.dumps({"carrier": "SF"}).encode(),
        b"not json",
    ):
        assert post_webhook(api_client, body).status_code == 400
    assert not TrackingEvent.objects.exists()


def test_shipping_with_a_carrier_not_on_the_list_is_refused(api_client):
    _shopper, suborder, _line = paid_suborder()
    api_client.force_authenticate(suborder.store.merchant.owner)
    url = f"/api/v1/seller/suborders/{suborder.pk}/ship/"
    response = api_client.post(url, {"carrier": "Pigeon Post", "tracking_number": "1"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_carrier"
    assert SubOrder.objects.get(pk=suborder.pk).state == SubOrder.State.AWAITING_SHIPMENT
    assert api_client.post(url, {"carrier": "中通快递", "tracking_number": "1"}).status_code == 200
    assert SubOrder.objects.get(pk=suborder.pk).carrier == "ZTO"
    codes = [carrier["code"] for carrier in api_client.get("/api/v1/logistics/carriers/").json()]
    assert {"SF", "ZTO", "YTO", "YUNDA", "JD", "EMS", "CAINIAO"} <= set(codes)


def test_the_sandbox_carrier_reports_every_step_then_auto_receive_follows_delivery():
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _shopper, suborder, _line = paid_suborder()
        ship(suborder)
        for _step in range(5):
            clock.shift(datetime.timedelta(hours=1, minutes=1))
            assert tracking.sandbox_tick() == 1
        assert tracking.sandbox_tick() == 0
        suborder.refresh_from_db()
        statuses = list(TrackingEvent.objects.filter(suborder=suborder).values_list("status", flat=True))
        assert statuses == ["picked_up", "in_transit", "at_station", "out_for_delivery", "delivered"]
        assert suborder.delivered_at is not None
        due = suborder.delivered_at + datetime.timedelta(days=10)
        assert suborder.auto_receive_at() == due
        clock.move_to(due - datetime.timedelta(minutes=1))
        assert order_services.auto_receive_shipped() == 0
        clock.move_to(due + datetime.timedelta(minutes=1))
        assert order_services.auto_receive_shipped() == 1
