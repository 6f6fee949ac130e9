"""The held-out contract: a merchant's customers through the API, one row per shopper across both brands,
never visible to another merchant; following stores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from customers.services.segments import recompute
from orders.models import SubOrder
from refunds.models import RefundPolicyVersion, RefundRequest
from tests.customers.helpers import paid_order, shopper_with_address, sku_in, staff, token_client
from tests.orders.helpers import buy
from tests.shops.factories import StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/seller/customers/"


@pytest.fixture
def merchant_world():
    taobao = StoreFactory()
    tmall = TmallStoreFactory(merchant=taobao.merchant)
    other = StoreFactory()
    return taobao, tmall, other


def test_shopper_of_both_brands_is_one_customer_with_both_orders(merchant_world):
    taobao, tmall, other = merchant_world
    shopper, address = shopper_with_address()
    paid_order(shopper, address, (sku_in(taobao, price="100.00"), 1))
    paid_order(shopper, address, (sku_in(tmall, price="250.00"), 2))
    paid_order(shopper, address, (sku_in(other, price="999.00"), 1))  # another merchant's sale: not counted

    response = token_client(taobao.merchant.owner).get(URL)

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["shopper"]["id"] for row in rows] == [shopper.pk]
    row = rows[0]
    assert row["orders"] == 2
    assert Decimal(row["spend"]) == Decimal("600.00")
    assert row["units"] == 3
    assert Decimal(row["average_order_value"]) == Decimal("300.00")
    assert row["last_order_at"] is not None and row["first_order_at"] is not None
    assert sorted(store["id"] for store in row["stores"]) == sorted([taobao.pk, tmall.pk])
    assert "new" in row["segments"]


def test_one_checkout_across_both_brands_counts_two_orders(merchant_world):
    taobao, tmall, _other = merchant_world
    shopper, address = shopper_with_address()
    paid_order(shopper, address, (sku_in(taobao, price="100.00"), 1), (sku_in(tmall, price="50.00"), 1))

    row = token_client(tmall.merchant.owner).get(URL).json()["results"][0]

    assert row["orders"] == 2 and Decimal(row["spend"]) == Decimal("150.00")


def test_another_merchant_never_sees_them(merchant_world):
    taobao, tmall, other = merchant_world
    shopper, address = shopper_with_address()
    paid_order(shopper, address, (sku_in(taobao), 1))
    first = token_client(taobao.merchant.owner).get(URL).json()["results"][0]

    outsider = token_client(other.merchant.owner)
    assert outsider.get(URL).json()["results"] == []
    for segment in ("new", "regular", "high_value", "at_risk", "lost"):
        assert outsider.get(URL, {"segment": segment}).json()["results"] == []
    assert outsider.get(f"{URL}{first['id']}/").status_code == 404
    assert outsider.get(URL, {"merchant": taobao.merchant_id}).status_code == 404


def test_unpaid_orders_do_not_make_a_customer(merchant_world):
    taobao, _tmall, _other = merchant_world
    shopper, address = shopper_with_address()
    buy(shopper, address, (sku_in(taobao), 1))

    assert token_client(taobao.merchant.owner).get(URL).json()["results"] == []


def test_segment_filter_and_invalid_segment(merchant_world):
    taobao, _tmall, _other = merchant_world
    shopper, address = shopper_with_address()
    paid_order(shopper, address, (sku_in(taobao), 1))
    client = token_client(taobao.merchant.owner)

    assert [r["shopper"]["id"] for r in client.get(URL, {"segment": "new"}).json()["results"]] == [shopper.pk]
    assert client.get(URL, {"segment": "lost"}).json()["results"] == []
    bad = client.get(URL, {"segment": "vip"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_segment"
    assert client.get(URL, {"sort": "nonsense"}).status_code == 400


def test_staff_of_every_role_sees_customers_but_not_anonymous(merchant_world):
    taobao, tmall, _other = merchant_world
    shopper, address = shopper_with_address()
    paid_order(shopper, address, (sku_in(tmall), 1))
    service = staff(taobao)  # customer service in the Taobao store only: still the merchant's customers

    assert len(token_client(service).get(URL).json()["results"]) == 1
    assert APIClient().get(URL).status_code in (401, 403)
    assert token_client(shopper).get(URL).status_code == 404  # not staff anywhere


def test_customer_detail_masks_contacts_for_non_owners_and_shows_only_this_merchants_orders(merchant_world):
    taobao, tmall, other = merchant_world
    shopper, address = shopper_with_address(phone="13912345678")
    paid_order(shopper, address, (sku_in(taobao), 1))
    paid_order(shopper, address, (sku_in(tmall), 1))
    paid_order(shopper, address, (sku_in(other), 1))
    owner = token_client(taobao.merchant.owner)
    customer_id = owner.get(URL).json()["results"][0]["id"]

    full = owner.get(f"{URL}{customer_id}/").json()
    assert full["contact"] == {
        "phone": "13912345678", "recipient": "张三", "address": "浙江省 杭州市 余杭区 文一西路 969 号", "masked": False,
    }  # fmt: skip
    assert {order["store"]["id"] for order in full["suborders"]} == {taobao.pk, tmall.pk}

    operations = staff(tmall, role="operations")
    masked = token_client(operations).get(f"{URL}{customer_id}/").json()
    assert masked["contact"]["masked"] is True
    assert masked["contact"]["phone"] == "139****5678"
    assert "文一西路" not in masked["contact"]["address"]
    # Staff of one store see that store's orders only.
    assert {order["store"]["id"] for order in masked["suborders"]} == {tmall.pk}


def test_refunded_money_is_taken_off_spend(merchant_world):
    taobao, _tmall, _other = merchant_world
    shopper, address = shopper_with_address()
    order = paid_order(shopper, address, (sku_in(taobao, price="80.00"), 1))
    suborder = SubOrder.objects.get(order=order)
    RefundRequest.objects.create(
        suborder=suborder, store=taobao, shopper=shopper, reason="other", amount=Decimal("30.00"),
        status=RefundRequest.Status.REFUNDED, idempotency_key="r1",
        policy_version=RefundPolicyVersion.objects.create(number=999, rules={}),
    )  # fmt: skip
    recompute([taobao.merchant_id])

    row = token_client(taobao.merchant.owner).get(URL).json()["results"][0]
    assert Decimal(row["spend"]) == Decimal("50.00")
    assert Decimal(row["refunded"]) == Decimal("30.00")
    assert Decimal(row["refund_rate"]) == Decimal("1.0000")
