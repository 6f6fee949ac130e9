"""The sandbox gateway's asynchronous callback for real: a Celery worker POSTs the signed body over HTTP to a live
server, retrying with back-off until acknowledged."""

import datetime
import json
import time

import pytest
from django.conf import settings
from django.utils import timezone

from orders.models import Order
from payments import checks
from payments import services as payment_services
from payments.gateway import get_gateway, sign
from payments.models import CallbackDelivery, Payment
from payments.tasks import resend_callbacks
from tests.orders.helpers import buy, shopper_with_address, sku_in

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def site_url(live_server, monkeypatch):
    monkeypatch.setattr(settings, "SITE_URL", live_server.url)
    return live_server.url


def test_worker_delivers_the_signed_callback_and_the_order_is_paid(celery_worker, site_url):
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(price="88.00"), 1))
    payment = payment_services.start_payment(order, user)
    assert payment.notify_url.startswith(site_url)
    get_gateway().complete(payment.reference, "pay")
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID)
    delivery = CallbackDelivery.objects.get(payment=payment)
    assert wait_for(lambda: CallbackDelivery.objects.get(pk=delivery.pk).acknowledged_at is not None)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert checks.run_all() == []


def test_worker_retries_until_the_platform_acknowledges(celery_worker, site_url):
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(price="20.00"), 1))
    payment = payment_services.start_payment(order, user)
    right_url = payment.notify_url
    Payment.objects.filter(pk=payment.pk).update(notify_url=site_url + "/api/v1/payments/callback/unreachable/")
    get_gateway().complete(payment.reference, "pay")
    assert wait_for(lambda: CallbackDelivery.objects.get(payment=payment).attempts >= 1)
    first = CallbackDelivery.objects.get(payment=payment)
    assert first.acknowledged_at is None and first.last_status == 404
    Payment.objects.filter(pk=payment.pk).update(notify_url=right_url)  # the platform is back
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID)
    assert CallbackDelivery.objects.get(payment=payment).attempts >= 2


def test_a_lost_notification_is_resent_by_the_sweep(celery_worker, site_url):
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(price="15.00"), 1))
    payment = payment_services.start_payment(order, user)
    # The shopper chose "pay" but the task never reached the broker (no on_commit here: written directly).
    delivery = CallbackDelivery.objects.create(payment=payment, payload="{}", signature="x")
    Payment.objects.filter(pk=payment.pk).update(sandbox_outcome="pay")
    body = json.dumps(
        {
            "reference": payment.reference,
            "status": "succeeded",
            "amount": "15.00",
            "transaction_id": "T",
            "sent_at": "x",
        }
    )
    CallbackDelivery.objects.filter(pk=delivery.pk).update(
        payload=body, signature=sign(body.encode()), created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert resend_callbacks() == 1
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID)
    assert wait_for(lambda: CallbackDelivery.objects.get(pk=delivery.pk).acknowledged_at is not None)
    assert resend_callbacks() == 0
