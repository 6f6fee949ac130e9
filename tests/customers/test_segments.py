"""Lifecycle segments at their boundaries (calendar days, time controlled with time-machine), the high-value
share, parameters per merchant, daily snapshots, refreshes after a payment and the nightly task."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from customers.models import Customer, SegmentSettings, SegmentSnapshot
from customers.services.segments import recompute, save_settings
from customers.tasks import recompute_segments
from tests.customers.helpers import days_ago, paid_order, shopper_with_address, sku_in, token_client
from tests.shops.factories import StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return StoreFactory()


def row(store, shopper) -> Customer:
    recompute([store.merchant_id])
    return Customer.objects.get(merchant=store.merchant, shopper=shopper)


def buyer(store, *ages, price="100.00"):
    """A shopper with one paid order at ``store`` per age (calendar days ago)."""
    shopper, address = shopper_with_address()
    for age in ages:
        paid_order(shopper, address, (sku_in(store, price=price), 1), at=days_ago(age))
    return shopper


@pytest.mark.parametrize(("age", "is_new"), [(0, True), (29, True), (30, True), (31, False)])
def test_new_is_a_first_order_within_30_calendar_days(store, age, is_new):
    customer = row(store, buyer(store, age))
    assert customer.is_new is is_new


def test_new_is_about_the_first_order_not_the_last(store):
    customer = row(store, buyer(store, 40, 1))
    assert customer.is_new is False


@pytest.mark.parametrize(("age", "at_risk"), [(89, False), (90, False), (91, True), (180, True), (181, False)])
def test_at_risk_is_a_former_regular_without_an_order_for_90_days(store, age, at_risk):
    customer = row(store, buyer(store, 300, age))
    assert customer.is_at_risk is at_risk
    assert customer.is_lost is (age > 180)


def test_one_order_long_ago_is_lost_but_never_at_risk(store):
    customer = row(store, buyer(store, 95))
    assert (customer.is_at_risk, customer.is_lost) == (False, False)
    customer = row(store, buyer(store, 200))
    assert (customer.is_at_risk, customer.is_lost) == (False, True)


@pytest.mark.parametrize(("ages", "regular"), [((10, 180), True), ((10, 181), False), ((5,), False), ((1, 2), True)])
def test_regular_is_two_orders_within_180_days(store, ages, regular):
    assert row(store, buyer(store, *ages)).is_regular is regular


def test_segments_move_with_the_calendar_when_recomputed_later(store):
    shopper = buyer(store, 0)
    assert row(store, shopper).is_new
    later = timezone.now() + datetime.timedelta(days=31)
    with time_machine.travel(later, tick=False):
        recompute([store.merchant_id])
    customer = Customer.objects.get(shopper=shopper)
    assert customer.is_new is False
    assert SegmentSnapshot.objects.filter(merchant=store.merchant, day=timezone.localdate(later)).get().new == 0


def test_high_value_is_the_top_ten_percent_by_spend(store):
    shoppers = [buyer(store, 1, price=f"{100 * (n + 1)}.00") for n in range(20)]
    recompute([store.merchant_id])
    high = set(Customer.objects.filter(is_high_value=True).values_list("shopper_id", flat=True))
    assert high == {shoppers[-1].pk, shoppers[-2].pk}
    assert SegmentSettings.objects.get(merchant=store.merchant).high_value_min_spend == Decimal("1900.00")


def test_followers_who_never_bought(store):
    from customers.services.follows import follow

    shopper, _ = shopper_with_address()
    follow(shopper, store)
    customer = row(store, shopper)
    assert customer.is_follower_only and customer.orders == 0
    assert customer.segments == ["follower"]
    client = token_client(store.merchant.owner)
    assert client.get("/api/v1/seller/customers/").json()["results"] == []  # buyers only by default
    followers = client.get("/api/v1/seller/customers/", {"segment": "follower"}).json()["results"]
    assert [r["shopper"]["id"] for r in followers] == [shopper.pk]


def test_parameters_are_per_merchant(store):
    other = StoreFactory()
    mine, theirs = buyer(store, 10), buyer(other, 10)
    save_settings(store.merchant_id, {"new_days": 7})
    recompute()
    assert Customer.objects.get(shopper=mine).is_new is False
    assert Customer.objects.get(shopper=theirs).is_new is True


def test_segments_api_shows_definitions_counts_and_edits_parameters(store):
    buyer(store, 10)
    client = token_client(store.merchant.owner)
    data = client.get("/api/v1/seller/customers/segments/").json()
    new = next(item for item in data["segments"] if item["segment"] == "new")
    assert new["count"] == 1 and "30" in new["definition"]

    edited = client.put("/api/v1/seller/customers/segments/", {"new_days": 5}, format="json")
    assert edited.status_code == 200, edited.content
    new = next(item for item in edited.json()["segments"] if item["segment"] == "new")
    assert new["count"] == 0 and "5" in new["definition"]

    bad = client.put("/api/v1/seller/customers/segments/", {"lost_days": 30}, format="json")
    assert bad.status_code == 400
    assert SegmentSettings.objects.get(merchant=store.merchant).lost_days == 180


def test_customer_service_cannot_edit_parameters(store):
    from tests.customers.helpers import staff

    response = token_client(staff(store)).put("/api/v1/seller/customers/segments/", {"new_days": 5}, format="json")
    assert response.status_code == 403


def test_payment_refreshes_the_shopper_without_a_full_run(store, django_capture_on_commit_callbacks):
    recompute([store.merchant_id])
    tmall = TmallStoreFactory(merchant=store.merchant)
    shopper, address = shopper_with_address()
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(shopper, address, (sku_in(tmall, price="40.00"), 1))
    customer = Customer.objects.get(merchant=store.merchant, shopper=shopper)
    assert (customer.orders, customer.spend, customer.is_new) == (1, Decimal("40.00"), True)


def test_trend_records_one_snapshot_per_day(store):
    buyer(store, 3)
    for offset in (2, 1, 0):
        with time_machine.travel(timezone.now() - datetime.timedelta(days=offset), tick=False):
            recompute([store.merchant_id])
    trend = token_client(store.merchant.owner).get("/api/v1/seller/customers/trend/").json()
    assert [point["customers"] for point in trend] == [1, 1, 1]
    assert len({point["day"] for point in trend}) == 3


@pytest.mark.django_db(transaction=True)
def test_nightly_task_recomputes_on_a_worker(celery_worker):
    store = StoreFactory()
    shopper = buyer(store, 45)
    assert recompute_segments.delay([store.merchant_id]).get(timeout=60) == 1
    assert Customer.objects.get(shopper=shopper).is_new is False
