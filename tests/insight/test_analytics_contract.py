"""GET /api/v1/seller/analytics/: figures match the orders in the database right away (live for today, rollups
for finished days), another merchant's store is a 404, bad ranges are 400 JSON."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from insight.analytics import rollup
from insight.models import RolledDay, StoreDay
from refunds.models import RefundRequest
from refunds.services import processing
from refunds.services.requests import create_request
from tests.orders.helpers import sku_in
from tests.refunds.helpers import key, paid_order, shopper_with_address
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def analytics(user, store, first, last, **extra):
    params = {"store": store.pk if store else "", "from": first.isoformat(), "to": last.isoformat(), **extra}
    return client_for(user).get("/api/v1/seller/analytics/", params)


def row_of(response, day):
    return next(row for row in response.json()["rows"] if row["date"] == day.isoformat())


def refund(shopper, suborder, line, quantity=1):
    request = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: quantity},
                             reason=RefundRequest.Reason.NOT_WANTED, idempotency_key=key())  # fmt: skip
    assert processing.pay(request.pk) == "refunded"
    return RefundRequest.objects.get(pk=request.pk)


def test_paid_orders_gmv_buyers_and_refunds_of_today_match_placed_orders():
    store, other_store = StoreFactory(), StoreFactory()
    sku, sku_b = sku_in(store, price="100.00"), sku_in(store, price="30.00")
    other_sku = sku_in(other_store, price="55.00")
    shopper, address = shopper_with_address()
    order1, lines1, sub1 = paid_order((sku, 2), (other_sku, 1), user=shopper, address=address)
    order2, _lines2, sub2 = paid_order((sku_b, 1))
    unpaid_shopper, unpaid_address = shopper_with_address()
    from tests.orders.helpers import buy

    buy(unpaid_shopper, unpaid_address, (sku, 1))  # placed, never paid: not an order in the figures
    refunded = refund(shopper, sub1, lines1[sku.pk], 1)
    today = timezone.localdate()

    response = analytics(store.merchant.owner, store, today - datetime.timedelta(days=2), today)
    assert response.status_code == 200, response.content
    row = row_of(response, today)
    gmv = sub1.payable + sub2.payable
    assert row["orders"] == 2
    assert D(row["gmv"]) == gmv
    assert D(row["refunds"]) == refunded.amount
    assert D(row["net_sales"]) == gmv - refunded.amount
    assert row["buyers"] == 2 and row["new_buyers"] == 2
    assert D(row["aov"]) == (gmv / 2).quantize(D("0.01"))
    assert {"orders", "gmv", "refunds", "visitors", "buyers"} <= set(row)
    assert len(response.json()["rows"]) == 3

    other = analytics(other_store.merchant.owner, other_store, today, today)
    assert (
        row_of(other, today)["orders"] == 1
        and D(row_of(other, today)["gmv"]) == order1.suborders.get(store=other_store).payable
    )


def test_all_stores_of_a_merchant_add_up_and_another_merchants_store_is_404():
    store = StoreFactory()
    sister = StoreFactory(merchant=store.merchant)
    stranger_store = StoreFactory()
    paid_order((sku_in(store, price="10.00"), 1))
    paid_order((sku_in(sister, price="20.00"), 1))
    paid_order((sku_in(stranger_store, price="40.00"), 1))
    today = timezone.localdate()
    owner = store.merchant.owner
    combined = analytics(owner, None, today, today).json()
    assert sorted(combined["stores"]) == sorted([store.pk, sister.pk])
    assert combined["rows"][0]["orders"] == 2 and D(combined["rows"][0]["gmv"]) == D("30.00")
    response = analytics(owner, stranger_store, today, today)
    assert response.status_code == 404 and response.json()["detail"]
    for bogus in ("999999999", "99999999999999999999999", "abc"):
        assert client_for(owner).get("/api/v1/seller/analytics/", {"store": bogus}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13-01", "to": "2026-12-01"},
        {"from": "yesterday", "to": "2026-12-01"},
        {"from": "2026-12-05", "to": "2026-12-01"},
        {"from": "2020-01-01", "to": "2026-12-01"},
    ],
)
def test_bad_dates_are_a_400_json(params):
    store = StoreFactory()
    response = client_for(store.merchant.owner).get("/api/v1/seller/analytics/", {"store": store.pk, **params})
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_date", "invalid_range", "range_too_long"}


def test_anonymous_is_refused():
    assert APIClient().get("/api/v1/seller/analytics/").status_code in (401, 403)


def test_rolled_days_and_live_days_agree_and_a_late_payment_reopens_a_rolled_day():
    store = StoreFactory()
    sku = sku_in(store, price="80.00", stock=50)
    owner = store.merchant.owner
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=3), tick=False):
        _o, _l, first_sub = paid_order((sku, 1))
    with time_machine.travel(now - datetime.timedelta(days=2), tick=False):
        paid_order((sku, 2))
    today = timezone.localdate()
    first, last = today - datetime.timedelta(days=3), today
    live = analytics(owner, store, first, last).json()["rows"]
    assert rollup.roll_range(first, last) == 3
    assert StoreDay.objects.filter(store=store).count() == 2
    rolled = analytics(owner, store, first, last).json()["rows"]
    assert rolled == live
    assert [row["orders"] for row in rolled] == [1, 1, 0, 0]
    assert rolled[1]["new_buyers"] == 1 and D(rolled[1]["gmv"]) == D("160.00")

    # A back-dated payment on a rolled day: the day is read live again, so the figure is right at once.
    with time_machine.travel(now - datetime.timedelta(days=3), tick=False):
        paid_order((sku, 1))
    assert not RolledDay.objects.filter(day=first).exists()
    assert analytics(owner, store, first, last).json()["rows"][0]["orders"] == 2


def test_week_and_month_grouping_sum_the_days():
    store = StoreFactory()
    paid_order((sku_in(store, price="12.00"), 1))
    today = timezone.localdate()
    response = analytics(store.merchant.owner, store, today - datetime.timedelta(days=40), today, grain="month")
    rows = response.json()["rows"]
    assert sum(row["orders"] for row in rows) == 1
    assert all(datetime.date.fromisoformat(row["date"]).day == 1 for row in rows)
