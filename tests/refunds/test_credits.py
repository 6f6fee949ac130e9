"""我的补偿 / My credits: a shopper's late-shipment compensations and 运费险 payouts (refunds.selectors.credits_of),
on the storefront page /me/credits/ and at GET /api/v1/me/credits/; only the signed-in shopper's own, in both
languages, with the total."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from logistics.models import LateShipment
from logistics.services import late
from orders import services as order_services
from refunds import selectors
from refunds.services import processing, review
from refunds.services.requests import create_request
from shops import services as shop_services
from tests.orders.helpers import shopper_with_address
from tests.refunds.helpers import key, paid_order, ship, sku_in
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
D = Decimal


def late_credit(shopper, address, price="200.00"):
    """A sub-order of the shopper's that a store shipped late: 5% of it credited (10.00 for 200.00)."""
    store = StoreFactory(name="迟发小店")
    shop_services.set_service_card(store, ship_within_hours=24)
    _order, _lines, suborder = paid_order((sku_in(store, price=price), 1), user=shopper, address=address)
    suborder.refresh_from_db()
    assert late.compensate(suborder.pk, now=suborder.ship_by + datetime.timedelta(minutes=1)) is not None
    return suborder


def insurance_credit(shopper, address, postage="12.00"):
    """A 7-day no-reason return whose postage 运费险 paid back to the shopper."""
    store = StoreFactory()
    shop_services.set_service_card(store, return_shipping_insurance=True, return_address="杭州市余杭区 1 号")
    sku = sku_in(store, price="80.00")
    _order, lines, suborder = paid_order((sku, 1), user=shopper, address=address)
    ship(suborder)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={lines[sku.pk].pk: 1},
                            reason="not_wanted", idempotency_key=key(), no_reason=True)  # fmt: skip
    review.submit_return_shipment(refund.pk, shopper=shopper, carrier="SF", tracking_number="R1", postage=postage)
    review.merchant_confirm_return(refund.pk, actor=store.merchant.owner, store_ids=[store.pk])
    processing.pay(refund.pk)
    return refund


@pytest.fixture
def credited():
    """Alice: a late shipment (10.00) on day 1, then 运费险 (12.00) on day 2. Bob: a late shipment (20.00)."""
    alice, alice_address = shopper_with_address(username="alice-credits")
    bob, bob_address = shopper_with_address(username="bob-credits")
    with time_machine.travel(START, tick=False) as clock:
        late_suborder = late_credit(alice, alice_address)
        clock.shift(datetime.timedelta(days=1))
        refund = insurance_credit(alice, alice_address)
        clock.shift(datetime.timedelta(hours=1))
        bob_suborder = late_credit(bob, bob_address, price="400.00")
    return alice, late_suborder, refund, bob, bob_suborder


def test_the_history_lists_both_kinds_newest_first_with_the_total(credited):
    alice, late_suborder, refund, _bob, _bob_suborder = credited
    rows = selectors.credit_rows(selectors.credits_of(alice))
    assert [(row.kind, row.amount) for row in rows] == [("return_insurance", D("12.00")), ("late_shipment", D("10.00"))]
    insurance, compensation = rows
    assert insurance.order_number == refund.suborder.order.number
    assert insurance.suborder_number == refund.suborder.number and insurance.refund_id == refund.pk
    assert compensation.order_number == late_suborder.order.number
    assert compensation.suborder_number == late_suborder.number and compensation.refund_id is None
    assert compensation.at < insurance.at
    assert "迟发小店" in compensation.reason and str(refund.pk) in insurance.reason
    assert selectors.credit_total(alice) == D("22.00")


def test_a_shopper_never_sees_another_shoppers_credits(credited):
    alice, late_suborder, refund, bob, bob_suborder = credited
    bob_rows = selectors.credit_rows(selectors.credits_of(bob))
    assert [(row.suborder_number, row.amount) for row in bob_rows] == [(bob_suborder.number, D("20.00"))]
    assert selectors.credit_total(bob) == D("20.00")
    assert bob_suborder.number not in {
        row.suborder_number for row in selectors.credit_rows(selectors.credits_of(alice))
    }
    carol, _address = shopper_with_address(username="carol-credits")
    assert list(selectors.credits_of(carol)) == [] and selectors.credit_total(carol) == D("0.00")

    client = APIClient()
    client.force_authenticate(bob)
    body = client.get("/api/v1/me/credits/").json()
    assert body["total"] == "20.00" and body["count"] == 1
    assert [row["suborder_number"] for row in body["results"]] == [bob_suborder.number]
    client.force_authenticate(alice)
    numbers = {row["suborder_number"] for row in client.get("/api/v1/me/credits/").json()["results"]}
    assert numbers == {late_suborder.number, refund.suborder.number}


def test_a_zero_compensation_credits_nothing_and_is_not_listed():
    shopper, address = shopper_with_address()
    _order, _lines, suborder = paid_order((sku_in(price="50.00"), 1), user=shopper, address=address)
    suborder.refresh_from_db()
    LateShipment.objects.create(suborder=suborder, store=suborder.store, shopper=shopper, ship_by=suborder.ship_by,
                                compensation=D("0.00"))  # fmt: skip
    assert list(selectors.credits_of(shopper)) == [] and selectors.credit_total(shopper) == D("0.00")


def test_the_api_gives_money_as_two_place_strings_and_words_in_the_request_language(credited):
    alice, late_suborder, refund, _bob, _bob_suborder = credited
    client = APIClient()
    client.force_authenticate(alice)
    response = client.get("/api/v1/me/credits/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "22.00" and body["count"] == 2 and body["next"] is None
    insurance, compensation = body["results"]
    assert insurance == {
        "kind": "return_insurance",
        "label": "Return shipping insurance (运费险)",
        "reason": f"The platform paid the postage of your return (refund {refund.pk})",
        "credited_at": insurance["credited_at"],
        "amount": "12.00",
        "order_number": refund.suborder.order.number,
        "suborder_number": refund.suborder.number,
        "refund": refund.pk,
    }
    assert compensation["kind"] == "late_shipment" and compensation["amount"] == "10.00"
    assert compensation["order_number"] == late_suborder.order.number and compensation["refund"] is None
    assert compensation["label"] == "Late-shipment compensation"
    chinese = client.get("/api/v1/me/credits/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]
    assert chinese[1]["label"] == "延迟发货赔付" and "未在" in chinese[1]["reason"]
    assert chinese[0]["reason"] == f"平台赔付了您的退货运费（退款 {refund.pk}）"


def test_the_api_refuses_anonymous_and_answers_an_empty_history():
    assert APIClient().get("/api/v1/me/credits/").status_code in (401, 403)
    shopper, _address = shopper_with_address()
    client = APIClient()
    client.force_authenticate(shopper)
    assert client.get("/api/v1/me/credits/").json() == {
        "total": "0.00", "count": 0, "next": None, "previous": None, "results": []}  # fmt: skip
    assert client.get("/api/v1/me/credits/?page=9").status_code == 404


def test_the_schema_documents_the_endpoint(api_client):
    paths = api_client.get("/api/schema/?format=json").json()["paths"]
    operation = paths["/api/v1/me/credits/"]["get"]
    assert "CreditHistory" in str(operation["responses"]["200"])


def test_the_page_in_english_and_chinese(client, credited):
    alice, late_suborder, refund, _bob, bob_suborder = credited
    client.force_login(alice)
    url = reverse("refunds:credits")
    assert url == "/me/credits/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My credits" in english and 'data-testid="tabbar"' in english and 'name="viewport"' in english
    assert english.count('data-testid="credit-row"') == 2 and "¥22.00" in english
    assert "+¥12.00" in english and "+¥10.00" in english
    assert late_suborder.number in english and refund.suborder.number in english
    assert reverse("orders:order_detail", args=[late_suborder.order.number]) in english
    assert bob_suborder.number not in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(url).content.decode()
    assert '<html lang="zh-hans">' in chinese
    for text in ("我的补偿", "累计补偿", "延迟发货赔付", "运费险", "迟发小店 未在"):
        assert text in chinese, text
    assert "My credits" not in chinese and "Late-shipment compensation" not in chinese


def test_the_page_says_when_there_are_no_credits(client):
    shopper, _address = shopper_with_address()
    client.force_login(shopper)
    page = client.get("/me/credits/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="no-credits"' in page and "You have no credits yet." in page and "¥0.00" in page
    client.cookies["django_language"] = "zh-hans"
    assert "暂无补偿记录。" in client.get("/me/credits/").content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/me/credits/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/me/credits/"


def test_the_account_page_and_the_late_shipment_event_link_to_the_credits(client, credited):
    alice, late_suborder, _refund, _bob, _bob_suborder = credited
    client.force_login(alice)
    profile = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    menu = profile.split('data-testid="account-menu"')[1].split("</nav>")[0]
    assert 'href="/me/credits/"' in menu and "My credits" in menu
    detail = client.get(reverse("orders:order_detail", args=[late_suborder.order.number])).content.decode()
    event = detail.split('data-kind="late_shipment_compensated"')[1].split("</li>")[0]
    assert 'data-testid="timeline-credits"' in event and 'href="/me/credits/"' in event
    owner = late_suborder.store.merchant.owner
    client.force_login(owner)
    seller = client.get(f"/seller/orders/{late_suborder.pk}/").content.decode()
    assert 'data-kind="late_shipment_compensated"' in seller and 'data-testid="timeline-credits"' not in seller
