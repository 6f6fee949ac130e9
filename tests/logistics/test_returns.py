"""7-day no-reason returns with 运费险: approved for return at once, the shopper's tracking number, the merchant's
receipt, the worker's refund, the platform paying the return postage once; refused after the window."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from marketplace.api import DomainError
from orders import services as order_services
from payments.models import JournalEntry
from refunds.models import RefundRequest, ReturnInsurancePayout
from refunds.services import processing, review
from refunds.services.requests import create_request
from shops import services as shop_services
from shops.models import Category
from shops.promises import ServiceCatalogue
from tests.logistics.helpers import paid_suborder, ship
from tests.refunds.helpers import key
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
Status = RefundRequest.Status


def received(store=None, price="200.00"):
    shopper, suborder, line = paid_suborder(price=price, store=store)
    ship(suborder)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    suborder.refresh_from_db()
    return shopper, suborder, line


def no_reason_request(shopper, suborder, line):
    return create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="other",
                          idempotency_key=key(), no_reason=True)  # fmt: skip


def test_no_reason_return_with_insurance_end_to_end(api_client):
    store = StoreFactory()
    shop_services.set_service_card(store, return_shipping_insurance=True, return_address="杭州市余杭区 1 号")
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, line = received(store)
        clock.shift(datetime.timedelta(days=6))
        api_client.force_authenticate(shopper)
        created = api_client.post("/api/v1/refunds/", {
            "suborder": suborder.pk, "lines": [{"line": line.pk, "quantity": 1}], "reason": "not_wanted",
            "idempotency_key": key(), "no_reason": True}, format="json")  # fmt: skip
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["status"] == "awaiting_return" and body["no_reason"] and body["return_insured"]
        assert body["kind"] == "return_and_refund" and body["return_address"] == "杭州市余杭区 1 号"

        url = f"/api/v1/refunds/{body['id']}/return-shipment/"
        bad = api_client.post(url, {"carrier": "Pigeon", "tracking_number": "R1", "postage": "12.00"}, format="json")
        assert bad.status_code == 400 and bad.json()["code"] == "unknown_carrier"
        shipped = api_client.post(url, {"carrier": "圆通", "tracking_number": "R1", "postage": "40.00"}, format="json")
        assert shipped.status_code == 200 and shipped.json()["return_carrier"] == "YTO"

        owner = store.merchant.owner
        review.merchant_confirm_return(body["id"], actor=owner, store_ids=[store.pk])
        with pytest.raises(DomainError):
            review.merchant_confirm_return(body["id"], actor=owner, store_ids=[store.pk])
        processing.pay(body["id"])
    refund = RefundRequest.objects.get(pk=body["id"])
    assert refund.status == Status.REFUNDED and refund.amount == Decimal("200.00")
    payout = ReturnInsurancePayout.objects.get(request=refund)
    assert payout.amount == ServiceCatalogue.current().return_insurance_cap == Decimal("25.00")  # capped
    entry = JournalEntry.objects.get(kind="return_shipping_insurance")
    assert sorted((p.account.code, p.amount) for p in entry.postings.all()) == [
        ("promotion_expense", Decimal("-25.00")),
        ("shopper_credits", Decimal("25.00")),
    ]
    api_client.force_authenticate(refund.shopper)
    assert api_client.get(f"/api/v1/refunds/{refund.pk}/").json()["insurance_paid"] == "25.00"


def test_no_reason_return_after_the_window_is_refused_and_changes_nothing():
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, line = received()
        clock.shift(datetime.timedelta(days=7, minutes=1))
        with pytest.raises(DomainError) as excinfo:
            no_reason_request(shopper, suborder, line)
    assert excinfo.value.code == "no_reason_return_refused" and excinfo.value.status_code == 409
    assert not RefundRequest.objects.exists()
    suborder.refresh_from_db()
    assert not suborder.refund_open


def test_no_reason_return_needs_receipt_the_promise_and_an_eligible_vertical():
    shopper, suborder, line = paid_suborder()
    with pytest.raises(DomainError):  # not received yet
        no_reason_request(shopper, suborder, line)
    store = StoreFactory()
    shop_services.set_service_card(store, no_reason_returns=False)
    shopper, suborder, line = received(store)
    with pytest.raises(DomainError):
        no_reason_request(shopper, suborder, line)
    shopper, suborder, line = received()
    vertical = Category.objects.get(pk=line.sku.product.category.vertical_id)
    ServiceCatalogue.current().return_excluded_verticals.add(vertical)
    with pytest.raises(DomainError):
        no_reason_request(shopper, suborder, line)
    assert not RefundRequest.objects.exists()


def test_without_insurance_the_platform_pays_no_postage():
    shopper, suborder, line = received()
    refund = no_reason_request(shopper, suborder, line)
    assert refund.status == Status.AWAITING_RETURN and not refund.return_insured
    review.submit_return_shipment(refund.pk, shopper=shopper, carrier="SF", tracking_number="R9", postage="10.00")
    review.merchant_confirm_return(refund.pk, actor=suborder.store.merchant.owner, store_ids=[suborder.store_id])
    processing.pay(refund.pk)
    assert not ReturnInsurancePayout.objects.exists()
    assert RefundRequest.objects.get(pk=refund.pk).status == Status.REFUNDED
