"""The contract of issue 18: the store's service card in the store detail API, ship_by and tracking on paid
sub-orders, and a holiday closure of N days making a refund's review time-out come N days later."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from logistics.services import tracking
from orders.models import SubOrder
from refunds.models import RefundRequest
from refunds.services import review
from refunds.services.requests import create_request
from shops import services as shop_services
from tests.logistics.helpers import event_body, paid_suborder, post_webhook, ship
from tests.refunds.helpers import key
from tests.shops.factories import StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def test_store_detail_shows_the_service_card(api_client):
    store = StoreFactory()
    card = api_client.get(f"/api/v1/stores/{store.slug}/").json()["service_card"]
    assert card["ship_within_hours"] == 48
    assert card["no_reason_return_days"] == 7
    assert card["return_shipping_insurance"] is False
    assert card["instant_refund"] is True and card["genuine_guarantee"] is False

    shop_services.set_service_card(store, ship_within_hours=24, no_reason_returns=False, return_shipping_insurance=True)
    card = api_client.get(f"/api/v1/stores/{store.slug}/").json()["service_card"]
    assert card["ship_within_hours"] == 24
    assert card["no_reason_return_days"] == 0
    assert card["return_shipping_insurance"] is True and card["return_insurance_cap"] == "25.00"
    tmall = TmallStoreFactory()
    assert api_client.get(f"/api/v1/stores/{tmall.slug}/").json()["service_card"]["genuine_guarantee"] is True


def test_paid_suborder_has_ship_by_and_tracking_oldest_first(api_client):
    store = StoreFactory()
    shop_services.set_service_card(store, ship_within_hours=24)
    with time_machine.travel(START, tick=False):
        shopper, suborder, _line = paid_suborder(store=store)
        assert suborder.ship_by == suborder.paid_at + datetime.timedelta(hours=24)
    api_client.force_authenticate(shopper)
    detail = api_client.get(f"/api/v1/orders/{suborder.order.number}/").json()["suborders"][0]
    assert datetime.datetime.fromisoformat(detail["ship_by"]) == suborder.ship_by
    assert detail["tracking"] == []

    ship(suborder)
    suborder.refresh_from_db()
    shipped = suborder.shipped_at
    # Reported out of order: the API lists them by when they happened.
    for status, hours in (("in_transit", 5), ("picked_up", 1)):
        assert (
            post_webhook(
                api_client, event_body(suborder, status, shipped + datetime.timedelta(hours=hours))
            ).status_code
            == 200
        )
    detail = api_client.get(f"/api/v1/orders/{suborder.order.number}/").json()["suborders"][0]
    assert [event["status"] for event in detail["tracking"]] == ["picked_up", "in_transit"]
    assert detail["carrier"] == "SF"

    api_client.force_authenticate(store.merchant.owner)
    seller = api_client.get(f"/api/v1/seller/suborders/{suborder.pk}/").json()
    assert seller["ship_by"] == detail["ship_by"]
    assert [event["status"] for event in seller["tracking"]] == ["picked_up", "in_transit"]


def _pending_refund():
    shopper, suborder, line = paid_suborder(price="600.00")  # above Taobao's instant-refund limit
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                            idempotency_key=key())  # fmt: skip
    assert refund.status == RefundRequest.Status.PENDING_REVIEW
    return refund


@pytest.mark.parametrize("closed_days", [3, 7])
def test_a_closure_of_n_days_delays_the_review_time_out_by_n_days(closed_days):
    with time_machine.travel(START, tick=False) as clock:
        refund = _pending_refund()
        without_closure = refund.deadline_at
        assert without_closure == START + datetime.timedelta(hours=24)
        # The merchant closes the store for N days starting today (一键打烊), after the request was made.
        clock.shift(datetime.timedelta(hours=1))
        today = timezone.localdate()
        shop_services.close_now(store=refund.store, until=today + datetime.timedelta(days=closed_days - 1))

        clock.move_to(without_closure + datetime.timedelta(minutes=1))
        assert review.apply_timeouts() == 0
        refund.refresh_from_db()
        assert refund.status == RefundRequest.Status.PENDING_REVIEW
        assert refund.deadline_at == without_closure + datetime.timedelta(days=closed_days)

        clock.move_to(without_closure + datetime.timedelta(days=closed_days) - datetime.timedelta(minutes=1))
        assert review.apply_timeouts() == 0
        clock.move_to(without_closure + datetime.timedelta(days=closed_days, minutes=1))
        assert review.apply_timeouts() == 1
        refund.refresh_from_db()
        assert refund.status == RefundRequest.Status.APPROVED
        assert refund.suborder.events.filter(kind="refund_timeout").exists()


def test_a_closure_declared_for_later_days_pauses_only_when_it_overlaps():
    with time_machine.travel(START, tick=False) as clock:
        refund = _pending_refund()
        base = refund.deadline_at
        # A closure starting after the deadline changes nothing.
        shop_services.schedule_closure(store=refund.store, starts_on=timezone.localdate() + datetime.timedelta(days=5),
                                       ends_on=timezone.localdate() + datetime.timedelta(days=6))  # fmt: skip
        clock.move_to(base + datetime.timedelta(minutes=1))
        assert review.apply_timeouts() == 1


def test_instant_refunds_still_happen_while_the_store_is_closed():
    store = TmallStoreFactory()  # Tmall: every unshipped refund is instant under the default policy
    with time_machine.travel(START, tick=False):
        shopper, suborder, line = paid_suborder(store=store)
        shop_services.close_now(store=store, until=timezone.localdate() + datetime.timedelta(days=3))
        refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1},
                                reason="not_wanted", idempotency_key=key())  # fmt: skip
        assert refund.instant and refund.status == RefundRequest.Status.APPROVED and refund.deadline_at is None


def test_the_webhook_records_delivery_and_the_auto_receive_clock_starts_then(api_client):
    shopper, suborder, _line = paid_suborder()
    ship(suborder)
    suborder.refresh_from_db()
    delivered_at = suborder.shipped_at + datetime.timedelta(days=3)
    response = post_webhook(api_client, event_body(suborder, "delivered", delivered_at))
    assert response.status_code == 200, response.content
    suborder.refresh_from_db()
    assert suborder.delivered_at == delivered_at
    assert suborder.auto_receive_at() == delivered_at + datetime.timedelta(days=10)
    api_client.force_authenticate(shopper)
    detail = api_client.get(f"/api/v1/orders/{suborder.order.number}/").json()["suborders"][0]
    assert datetime.datetime.fromisoformat(detail["auto_receive_at"]) == delivered_at + datetime.timedelta(days=10)
    assert SubOrder.objects.get(pk=suborder.pk).events.filter(kind="delivered").count() == 1
    assert tracking.SIGNATURE_HEADER  # the header names are part of the API
