"""consume_for_order / release_for_order: what checkout and cancellation call, including under concurrency."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from marketplace.api import DomainError
from promotions.adapter import CartItemInput, price_cart
from promotions.models import Campaign, CampaignSpend, IssuedCoupon
from promotions.services import consumption
from tests.accounts.factories import UserFactory
from tests.promotions.factories import (
    CampaignFactory,
    EnrollmentFactory,
    IssuedCouponFactory,
    RedPacketTemplateFactory,
)
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory

D = Decimal


def cart_of(store, price="300.00"):
    sku = SKUFactory(product=ProductFactory(store=store), price=D(price))
    return [CartItemInput(key="a", sku=sku, quantity=1)]


@pytest.mark.django_db
class TestConsumeAndRelease:
    def test_consume_marks_coupons_and_charges_budget_then_release_gives_back(self):
        store = StoreFactory()
        shopper = UserFactory()
        campaign = CampaignFactory(platform_share=D("0.50"), budget=D("100.00"))
        EnrollmentFactory(campaign=campaign, store=store)
        red = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory(off=D("5.00")))
        priced = price_cart(shopper=shopper, items=cart_of(store))
        assert priced.coupons_used == [red.pk] and priced.discount == D("55.00")
        with transaction.atomic():
            consumption.consume_for_order(shopper=shopper, priced=priced, order_id=501)
        red.refresh_from_db()
        campaign.refresh_from_db()
        assert (red.status, red.order_id) == (IssuedCoupon.Status.USED, 501)
        assert campaign.spent == D("25.00")
        # a used coupon is no longer offered
        assert price_cart(shopper=shopper, items=cart_of(store)).coupons_used == []

        consumption.release_for_order(order_id=501)
        consumption.release_for_order(order_id=501)  # idempotent
        red.refresh_from_db()
        campaign.refresh_from_db()
        assert red.status == IssuedCoupon.Status.RETURNED and red.order_id is None
        assert campaign.spent == D("0.00")
        assert price_cart(shopper=shopper, items=cart_of(store)).coupons_used == [red.pk]

    def test_release_of_an_expired_coupon_marks_it_expired(self):
        shopper = UserFactory()
        coupon = IssuedCouponFactory(shopper=shopper, status=IssuedCoupon.Status.USED, order_id=9,
                                     valid_to=timezone.now() - datetime.timedelta(minutes=1))  # fmt: skip
        consumption.release_for_order(order_id=9)
        coupon.refresh_from_db()
        assert coupon.status == IssuedCoupon.Status.EXPIRED

    def test_consume_refuses_a_coupon_used_meanwhile_and_nothing_is_consumed(self):
        store = StoreFactory()
        shopper = UserFactory()
        campaign = CampaignFactory(platform_share=D("1.00"), budget=D("100.00"))
        EnrollmentFactory(campaign=campaign, store=store)
        red = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory())
        priced = price_cart(shopper=shopper, items=cart_of(store))
        IssuedCoupon.objects.filter(pk=red.pk).update(status=IssuedCoupon.Status.USED, order_id=1)
        with pytest.raises(DomainError, match="can no longer be used"), transaction.atomic():
            consumption.consume_for_order(shopper=shopper, priced=priced, order_id=2)
        campaign.refresh_from_db()
        assert campaign.spent == D("0.00") and not CampaignSpend.objects.exists()

    def test_consume_refuses_another_shoppers_priced_cart(self):
        store = StoreFactory()
        owner = UserFactory()
        IssuedCouponFactory(shopper=owner, template=RedPacketTemplateFactory())
        priced = price_cart(shopper=owner, items=cart_of(store))
        with pytest.raises(DomainError), transaction.atomic():
            consumption.consume_for_order(shopper=UserFactory(), priced=priced, order_id=3)

    def test_consume_refuses_overspending_and_rolls_back_coupons(self):
        store = StoreFactory()
        shopper = UserFactory()
        campaign = CampaignFactory(platform_share=D("1.00"), budget=D("60.00"))
        EnrollmentFactory(campaign=campaign, store=store)
        red = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory())
        priced = price_cart(shopper=shopper, items=cart_of(store))
        Campaign.objects.filter(pk=campaign.pk).update(spent=D("20.00"))  # someone else's order meanwhile
        with pytest.raises(DomainError, match="run out of budget"), transaction.atomic():
            consumption.consume_for_order(shopper=shopper, priced=priced, order_id=4)
        red.refresh_from_db()
        campaign.refresh_from_db()
        assert red.status == IssuedCoupon.Status.CLAIMED and campaign.spent == D("20.00")


@pytest.mark.django_db(transaction=True)
def test_consume_outside_a_transaction_is_a_programming_error():
    priced = price_cart(shopper=None, items=cart_of(StoreFactory()))
    with pytest.raises(RuntimeError):
        consumption.consume_for_order(shopper=UserFactory(), priced=priced, order_id=5)


def concurrently(count, target):
    barrier = threading.Barrier(count)
    outcomes = []

    def worker(n):
        try:
            barrier.wait()
            with transaction.atomic():
                target(n)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_coupon_is_never_used_twice_by_concurrent_checkouts():
    store = StoreFactory()
    shopper = UserFactory()
    red = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory())
    priced = price_cart(shopper=shopper, items=cart_of(store))
    outcomes = concurrently(
        6, lambda n: consumption.consume_for_order(shopper=shopper, priced=priced, order_id=100 + n)
    )
    assert outcomes.count("ok") == 1 and outcomes.count("coupon_unusable") == 5
    red.refresh_from_db()
    assert red.status == IssuedCoupon.Status.USED and 100 <= red.order_id < 106


@pytest.mark.django_db(transaction=True)
def test_a_budget_is_never_overspent_by_concurrent_checkouts():
    store = StoreFactory()
    campaign = CampaignFactory(platform_share=D("1.00"), budget=D("120.00"))
    EnrollmentFactory(campaign=campaign, store=store)
    shoppers = [UserFactory() for _ in range(6)]
    carts = [price_cart(shopper=shopper, items=cart_of(store)) for shopper in shoppers]
    assert all(cart.discount == D("50.00") for cart in carts)
    outcomes = concurrently(
        6, lambda n: consumption.consume_for_order(shopper=shoppers[n], priced=carts[n], order_id=200 + n)
    )
    assert outcomes.count("ok") == 2 and outcomes.count("budget_exhausted") == 4
    campaign.refresh_from_db()
    assert campaign.spent == D("100.00") and CampaignSpend.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_give_back_once():
    store = StoreFactory()
    shopper = UserFactory()
    campaign = CampaignFactory(platform_share=D("1.00"), budget=D("500.00"))
    EnrollmentFactory(campaign=campaign, store=store)
    red = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory())
    priced = price_cart(shopper=shopper, items=cart_of(store))
    with transaction.atomic():
        consumption.consume_for_order(shopper=shopper, priced=priced, order_id=300)
    outcomes = concurrently(5, lambda n: consumption.release_for_order(order_id=300))
    assert outcomes == ["ok"] * 5
    campaign.refresh_from_db()
    red.refresh_from_db()
    assert campaign.spent == D("0.00") and red.status == IssuedCoupon.Status.RETURNED
    assert CampaignSpend.objects.get(order_id=300).released_at is not None
