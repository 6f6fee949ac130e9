"""Issue 18 through the API, where the other tests drive services: a closure ended early gives back the days it did
not use, a rejected refund's auto-cancel stands still while the store is closed, a platform holiday declared by an
operator pauses review clocks, bad service-card and holiday input is refused with nothing changed, late shipments
reach the merchant's API and statement, and 运费险 shows in the operator's settlement report."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from logistics.services import late
from orders import services as order_services
from refunds.models import RefundRequest
from refunds.services import processing, review
from refunds.services.requests import create_request
from shops import services as shop_services
from shops.promises import PlatformHoliday, ServiceCard
from tests.accounts.factories import OperatorFactory
from tests.logistics.helpers import paid_suborder, post_webhook, ship
from tests.refunds.helpers import key
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
Status = RefundRequest.Status


def _pending_refund():
    shopper, suborder, line = paid_suborder(price="600.00")  # above the instant-refund limit: the merchant reviews
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                            idempotency_key=key())  # fmt: skip
    assert refund.status == Status.PENDING_REVIEW
    return refund


def test_a_closure_ended_early_gives_back_the_days_it_did_not_use(api_client, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock:
        refund = _pending_refund()
        base = refund.deadline_at
        store = refund.store
        api_client.force_authenticate(store.merchant.owner)
        clock.shift(datetime.timedelta(hours=1))
        today = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):  # pauses_changed is sent after commit
            created = api_client.post(f"/api/v1/seller/stores/{store.pk}/closures/",
                                      {"starts_on": today, "ends_on": today + datetime.timedelta(days=6)}, format="json")  # fmt: skip
        assert created.status_code == 201, created.content
        refund.refresh_from_db()
        assert refund.deadline_at == base + datetime.timedelta(days=7)

        # The merchant reopens on the third day: the two closed days count, the rest of the closure does not.
        clock.move_to(START + datetime.timedelta(days=2))
        with django_capture_on_commit_callbacks(execute=True):
            assert api_client.delete(f"/api/v1/seller/closures/{created.json()['id']}/").status_code == 204
        refund.refresh_from_db()
        assert refund.deadline_at == base + datetime.timedelta(days=2)
        clock.move_to(refund.deadline_at - datetime.timedelta(minutes=1))
        assert review.apply_timeouts() == 0
        clock.move_to(refund.deadline_at + datetime.timedelta(minutes=1))
        assert review.apply_timeouts() == 1
    refund.refresh_from_db()
    assert refund.status in (Status.APPROVED, Status.REFUNDED)


def test_a_rejected_refunds_auto_cancel_stands_still_while_the_store_is_closed():
    with time_machine.travel(START, tick=False) as clock:
        refund = _pending_refund()
        store = refund.store
        review.merchant_reject(refund.pk, actor=store.merchant.owner, store_ids=[store.pk], reason="Used goods")
        refund.refresh_from_db()
        assert refund.status == Status.REJECTED
        base = refund.deadline_at
        shop_services.close_now(store=store, until=timezone.localdate() + datetime.timedelta(days=3))  # 4 days
        clock.move_to(base + datetime.timedelta(minutes=1))
        assert review.apply_timeouts() == 0
        clock.move_to(base + datetime.timedelta(days=4, minutes=-1))
        assert review.apply_timeouts() == 0
        clock.move_to(base + datetime.timedelta(days=4, minutes=1))
        assert review.apply_timeouts() == 1
    refund.refresh_from_db()
    assert refund.status == Status.CLOSED


def test_an_operator_holiday_pauses_review_clocks_and_bad_windows_change_nothing(
    api_client, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(OperatorFactory())
    with time_machine.travel(START, tick=False) as clock:
        refund = _pending_refund()
        base = refund.deadline_at
        today = timezone.localdate()
        for bad in (
            {"name": "old", "starts_on": today - datetime.timedelta(days=5), "ends_on": today - datetime.timedelta(days=1)},
            {"name": "begun", "starts_on": today - datetime.timedelta(days=1), "ends_on": today + datetime.timedelta(days=2)},
            {"name": "reversed", "starts_on": today + datetime.timedelta(days=3), "ends_on": today + datetime.timedelta(days=1)},
            {"name": "", "starts_on": today, "ends_on": today},
            {"name": "no dates"},
        ):  # fmt: skip
            response = api_client.post("/api/v1/ops/holidays/", bad, format="json")
            assert response.status_code == 400, (bad, response.content)
        assert not PlatformHoliday.objects.exists()
        refund.refresh_from_db()
        assert refund.deadline_at == base

        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post("/api/v1/ops/holidays/", {"name": "春节", "starts_on": today + datetime.timedelta(days=1),
                                       "ends_on": today + datetime.timedelta(days=3)}, format="json")  # fmt: skip
        assert response.status_code == 201, response.content
        refund.refresh_from_db()
        assert refund.deadline_at == base + datetime.timedelta(days=3)
        clock.move_to(base + datetime.timedelta(days=3, minutes=-1))
        assert review.apply_timeouts() == 0
        clock.move_to(base + datetime.timedelta(days=3, minutes=1))
        assert review.apply_timeouts() == 1


def test_service_card_api_refuses_bad_promises_and_changes_nothing(api_client):
    store = StoreFactory()
    api_client.force_authenticate(store.merchant.owner)
    url = f"/api/v1/seller/stores/{store.pk}/service-card/"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for bad, code in (({"ship_within_hours": 36}, "ship_within_not_offered"),
                      ({"presale_ship_date": yesterday.isoformat()}, "deadline_in_past")):  # fmt: skip
        response = api_client.put(url, bad, format="json")
        assert response.status_code == 400 and response.json()["code"] == code, response.content
        assert response.json()["detail"]
    assert not ServiceCard.objects.filter(store=store).exists()

    response = api_client.put(url, {"ship_within_hours": 72, "return_shipping_insurance": True}, format="json")
    assert response.status_code == 200, response.content
    card = api_client.get(f"/api/v1/stores/{store.slug}/").json()["service_card"]
    assert card["ship_within_hours"] == 72 and card["return_shipping_insurance"] is True
    other = StoreFactory()
    assert api_client.put(f"/api/v1/seller/stores/{other.pk}/service-card/", {"ship_within_hours": 24},
                          format="json").status_code == 404  # fmt: skip


def test_webhook_without_signature_headers_is_refused_as_json(api_client):
    _shopper, suborder, _line = paid_suborder()
    ship(suborder)
    response = post_webhook(api_client, b'{"carrier": "SF"}', headers={})
    assert response.status_code == 400 and "missing" in response.json()["detail"]


def test_late_shipments_reach_the_merchants_api_and_statement(api_client):
    with time_machine.travel(START, tick=False) as clock:
        _shopper, suborder, _line = paid_suborder(price="200.00")
        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=1))
        assert late.detect_late_shipments() == 1
        assert late.detect_late_shipments() == 0
        store = suborder.store
        api_client.force_authenticate(store.merchant.owner)
        rows = api_client.get("/api/v1/seller/late-shipments/").json()
        assert [(row["suborder_number"], row["compensation"]) for row in rows] == [(suborder.number, "10.00")]
        counts = api_client.get("/api/v1/seller/late-shipments/counts/").json()
        assert [(row["store"], row["late_shipments"], row["compensation"]) for row in counts] == [
            (store.pk, 1, "10.00")
        ]
        statement = api_client.get(f"/api/v1/seller/finance/statement/?store={store.pk}&month=2026-03").json()
        assert Decimal(str(statement["totals"]["late_shipments"])) == Decimal("10.00")

        api_client.force_authenticate(StoreFactory().merchant.owner)  # another merchant sees none of it
        assert api_client.get("/api/v1/seller/late-shipments/").json() == []


def test_return_postage_paid_by_insurance_shows_in_the_operators_settlement(api_client, client):
    store = StoreFactory()
    shop_services.set_service_card(store, return_shipping_insurance=True)
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, line = paid_suborder(store=store)
        ship(suborder)
        order_services.confirm_receipt(suborder.pk, shopper=shopper)
        clock.shift(datetime.timedelta(days=2))
        refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="other",
                                idempotency_key=key(), no_reason=True)  # fmt: skip
        review.submit_return_shipment(refund.pk, shopper=shopper, carrier="SF", tracking_number="R1", postage="12.00")
        review.merchant_confirm_return(refund.pk, actor=store.merchant.owner, store_ids=[store.pk])
        processing.pay(refund.pk)
    operator = OperatorFactory()
    api_client.force_authenticate(operator)
    rows = api_client.get("/api/v1/ops/finance/return-insurance/").json()
    assert [(row["store_id"], row["payouts"], row["amount"]) for row in rows] == [(store.pk, 1, "12.00")]
    client.force_login(operator)
    page = client.get("/ops/finance/").content.decode()
    assert store.name in page and "¥12.00" in page
    api_client.force_authenticate(shopper)
    assert api_client.get("/api/v1/ops/finance/return-insurance/").status_code == 403
