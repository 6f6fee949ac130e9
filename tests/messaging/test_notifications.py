"""The message center: notifications written by the worker once per event and reader, rendered in the reader's
language, sent by e-mail once, unread counts; the sweep for refunds, deadlines and expiring coupons."""

import datetime
import json
import time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from messaging import catalogue
from messaging.models import Delivery, Notification, Preference
from messaging.services import notifications
from messaging.tasks import deliver_event
from orders import services as order_services
from promotions.models import IssuedCoupon
from refunds.models import RefundRequest
from refunds.services.requests import create_request
from shops.models import StaffRole
from tests.messaging.factories import staff_of
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.promotions.factories import CouponTemplateFactory
from tests.refunds.helpers import key, simple_paid

CHINESE = json.loads((Path(__file__).resolve().parents[2] / "scripts/zh_hans/messaging.json").read_text())


def wait_for(predicate, timeout=30.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def codes_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("code", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_worker_writes_each_event_once_for_shopper_and_merchant_staff(celery_worker):
    shopper, address = shopper_with_address()
    sku = sku_in(price="59.00")
    store = sku.product.store
    agent = staff_of(store)  # customer service handles orders
    finance_only = staff_of(store, StaffRole.OPERATIONS)
    order, _ = buy(shopper, address, (sku, 1))
    with transaction.atomic():
        order_services.mark_order_paid(order, reference="sandbox-1")
    suborder = order.suborders.get()
    owner = store.merchant.owner
    assert wait_for(lambda: Notification.objects.count() == 4)  # the shopper and three staff
    assert codes_of(shopper) == ["order_paid"]
    assert codes_of(owner) == codes_of(agent) == codes_of(finance_only) == ["new_order"]
    paid = Notification.objects.get(recipient=shopper)
    assert paid.params["suborder_number"] == suborder.number and paid.params["amount"] == str(suborder.payable)
    assert paid.store_id == store.pk and paid.audience == "shopper"

    order_services.ship(suborder.pk, actor=owner, carrier="SF", tracking_number="SF123")
    assert wait_for(lambda: "order_shipped" in codes_of(shopper))

    # the same event delivered again (a retried task, a duplicate message) writes nothing new
    results = [deliver_event.delay("suborder", suborder.pk, "awaiting_shipment") for _ in range(3)]
    assert [result.get(timeout=30) for result in results] == [0, 0, 0]
    assert codes_of(shopper) == ["order_paid", "order_shipped"]
    assert Notification.objects.filter(code="new_order").count() == 3
    assert Delivery.objects.filter(notification__recipient=shopper).count() == 2  # one e-mail attempt each


@pytest.mark.django_db
def test_notify_once_per_reader_and_email_once_in_the_readers_language():
    shopper, _ = shopper_with_address(email="buyer@example.com")
    Preference.objects.create(user=shopper, language="zh-hans")
    params = {"order_number": "O1", "suborder_number": "S1", "suborder_id": 1, "store_name": "好店", "amount": "9.90"}
    first = notifications.notify([shopper.pk], code="order_shipped", params=params, event_key="test:1")
    again = notifications.notify([shopper.pk], code="order_shipped", params=params, event_key="test:1")
    assert len(first) == 1 and again == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["buyer@example.com"]
    assert message.subject == CHINESE["Order shipped"]
    assert "好店" in message.body and "S1" in message.body
    notifications.send_outside(first[0])  # a rerun of the sending step
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(notification=first[0]).status == Delivery.Status.SENT


@pytest.mark.django_db
def test_email_is_skipped_when_switched_off_or_no_address():
    with_address, _ = shopper_with_address(email="a@example.com")
    without_address, _ = shopper_with_address(email="")
    Preference.objects.create(user=with_address, email_enabled=False)
    notifications.notify([with_address.pk, without_address.pk], code="coupon_expiring",
                         params={"coupon_name": "满100减10", "valid_to": timezone.now().isoformat()}, event_key="c:1")  # fmt: skip
    assert mail.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SKIPPED}


@pytest.mark.django_db
def test_notifications_are_stored_as_codes_and_read_in_the_readers_language():
    shopper, _ = shopper_with_address()
    notifications.notify([shopper.pk], code="refund_paid",
                         params={"amount": "12.00", "suborder_number": "S9", "refund_id": 5}, event_key="r:5")  # fmt: skip
    stored = Notification.objects.get()
    assert stored.code == "refund_paid" and "yuan" not in json.dumps(stored.params)
    client = APIClient()
    client.force_authenticate(shopper)
    english = client.get("/api/v1/me/notifications/").json()["results"][0]
    assert english["title"] == "Refund paid" and "12.00" in english["body"] and not english["is_read"]
    chinese = client.get("/api/v1/me/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert chinese["title"] == CHINESE["Refund paid"]


@pytest.mark.django_db
def test_unread_notifications_count_and_mark_read_only_touches_ones_own():
    shopper, _ = shopper_with_address()
    other, _ = shopper_with_address()
    for n in range(3):
        notifications.notify([shopper.pk, other.pk], code="order_paid", params={"suborder_number": f"S{n}"},
                             event_key=f"e:{n}")  # fmt: skip
    client = APIClient()
    client.force_authenticate(shopper)
    assert client.get("/api/v1/me/unread/").json()["notifications"] == 3
    first_id = client.get("/api/v1/me/notifications/").json()["results"][0]["id"]
    foreign_id = Notification.objects.filter(recipient=other).values_list("pk", flat=True)[0]
    assert client.post("/api/v1/me/notifications/read/", {"ids": [first_id, foreign_id]}, format="json").json() == {
        "marked": 1
    }
    assert client.get("/api/v1/me/unread/").json()["notifications"] == 2
    assert client.post("/api/v1/me/notifications/read/", {}, format="json").json() == {"marked": 2}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 3


@pytest.mark.django_db
def test_the_sweep_tells_refund_decisions_deadlines_and_expiring_coupons_once():
    shopper, suborder, line = simple_paid(price="700.00", quantity=1)
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="not_wanted",
                            idempotency_key=key())  # fmt: skip
    assert refund.status == RefundRequest.Status.PENDING_REVIEW
    owner = suborder.store.merchant.owner
    template = CouponTemplateFactory(name="满100减10", per_shopper_limit=2)
    now = timezone.now()
    IssuedCoupon.objects.create(template=template, shopper=shopper, valid_to=now + datetime.timedelta(hours=20))
    IssuedCoupon.objects.create(template=template, shopper=shopper, seq=2, valid_to=now + datetime.timedelta(days=5))

    notifications.sweep(now)
    notifications.sweep(now)
    assert codes_of(owner) == ["refund_requested"]
    assert codes_of(shopper) == ["coupon_expiring"]

    RefundRequest.objects.filter(pk=refund.pk).update(status=RefundRequest.Status.REJECTED, updated_at=now)
    notifications.sweep(now)
    assert codes_of(shopper) == ["coupon_expiring", "refund_rejected"]
    RefundRequest.objects.filter(pk=refund.pk).update(status=RefundRequest.Status.PENDING_REVIEW)
    with time_machine.travel(refund.deadline_at - datetime.timedelta(hours=2), tick=False):
        notifications.sweep()
        notifications.sweep()
    assert codes_of(owner) == ["refund_deadline_soon", "refund_requested"]


def test_every_code_renders_with_its_parameters_and_links():
    for code, kind in catalogue.CATALOGUE.items():
        shown = catalogue.render(code, {"suborder_number": "S1", "store_name": "店", "amount": "1.00",
                                        "order_number": "O1", "suborder_id": 1, "refund_id": 1})  # fmt: skip
        assert shown["title"] and "%(" not in shown["body"], code
        assert kind.audience in ("shopper", "merchant")
    assert catalogue.render("order_paid", {"order_number": "O1"})["url"] == "/orders/O1/"
