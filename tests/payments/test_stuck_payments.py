"""A payment whose gateway notification keeps failing surfaces: operators list and re-deliver it (page and API),
and the shopper's order page says the confirmation is delayed instead of waiting silently."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import services, tasks
from payments.gateway import sign
from payments.models import CallbackDelivery, Payment
from tests.accounts.factories import OperatorFactory
from tests.orders.helpers import buy, shopper_with_address, sku_in

pytestmark = pytest.mark.django_db
STALE_URL = "http://127.0.0.1:8000/api/v1/payments/callback/sandbox/"


def paid_at_gateway(minutes_ago: int):
    """The shopper chose "pay" ``minutes_ago``; every delivery since failed (the server had moved port)."""
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(price="30.00"), 1))
    payment = services.start_payment(order, user)
    body = json.dumps({"reference": payment.reference, "status": "succeeded", "amount": "30.00"})
    Payment.objects.filter(pk=payment.pk).update(sandbox_outcome="pay", notify_url=STALE_URL)
    delivery = CallbackDelivery.objects.create(
        payment=payment, payload=body, signature=sign(body.encode()), attempts=4, last_error="Connection refused"
    )
    CallbackDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return user, order, delivery


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.deliver_callback, "delay", lambda delivery_id: sent.append(delivery_id))
    return sent


def test_the_shopper_is_told_the_confirmation_is_delayed(client):
    user, order, _ = paid_at_gateway(minutes_ago=10)
    _fresh_user, fresh_order, _ = paid_at_gateway(minutes_ago=1)
    client.force_login(user)
    page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert 'data-testid="payment-delayed"' in page
    client.force_login(_fresh_user)
    page = client.get(reverse("orders:order_detail", args=[fresh_order.number])).content.decode()
    assert 'data-testid="payment-delayed"' not in page  # a minute is not stuck yet


def test_operators_see_stuck_deliveries_and_re_deliver_them(client, queued, django_capture_on_commit_callbacks):
    _user, order, delivery = paid_at_gateway(minutes_ago=10)
    paid_at_gateway(minutes_ago=1)
    client.force_login(OperatorFactory())
    page = client.get("/ops/payments/stuck/").content.decode()
    assert page.count('data-testid="stuck-delivery"') == 1
    assert order.number in page and "Connection refused" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ops/payments/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 302
    assert queued == [delivery.pk]
    assert Payment.objects.get(pk=delivery.payment_id).notify_url == services.notify_url()


def test_the_operator_api_lists_and_re_delivers(api_client, queued, django_capture_on_commit_callbacks):
    user, order, delivery = paid_at_gateway(minutes_ago=10)
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/payments/deliveries/stuck/").status_code == 403
    assert api_client.post(f"/api/v1/payments/deliveries/{delivery.pk}/redeliver/").status_code == 403

    api_client.force_authenticate(OperatorFactory())
    rows = api_client.get("/api/v1/payments/deliveries/stuck/").json()["results"]
    assert [(row["id"], row["order"], row["last_error"]) for row in rows] == [
        (delivery.pk, order.number, "Connection refused")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/payments/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202 and queued == [delivery.pk]

    CallbackDelivery.objects.filter(pk=delivery.pk).update(acknowledged_at=timezone.now())
    again = api_client.post(f"/api/v1/payments/deliveries/{delivery.pk}/redeliver/")
    assert again.status_code == 409 and again.json()["code"] == "already_acknowledged"
    assert api_client.post("/api/v1/payments/deliveries/999999/redeliver/").status_code == 404
    assert api_client.get("/api/v1/payments/deliveries/stuck/").json()["results"] == []


def test_the_shoppers_api_says_the_confirmation_is_delayed(api_client):
    user, order, delivery = paid_at_gateway(minutes_ago=10)
    fresh_user, _fresh_order, fresh = paid_at_gateway(minutes_ago=1)
    api_client.force_authenticate(user)
    body = api_client.get(f"/api/v1/payments/{delivery.payment.reference}/").json()
    assert body["status"] == "pending" and body["confirmation_delayed"] is True
    api_client.force_authenticate(fresh_user)
    assert api_client.get(f"/api/v1/payments/{fresh.payment.reference}/").json()["confirmation_delayed"] is False
