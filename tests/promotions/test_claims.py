"""Claiming coupons: windows, channels, limits; and the limits holding under concurrent claims."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.api import DomainError
from promotions.models import CouponTemplate, IssuedCoupon
from promotions.services import claims
from tests.accounts.factories import UserFactory
from tests.promotions.factories import CouponTemplateFactory


@pytest.mark.django_db
class TestClaim:
    def test_claim_relative_validity_counts_and_limits(self):
        shopper = UserFactory()
        template = CouponTemplateFactory(total_quantity=5, per_shopper_limit=2, valid_days=3)
        first = claims.claim(shopper, template)
        assert first.status == IssuedCoupon.Status.CLAIMED and first.seq == 1
        assert first.valid_to - first.valid_from == datetime.timedelta(days=3)
        claims.claim(shopper, template)
        with pytest.raises(DomainError, match="at most 2"):
            claims.claim(shopper, template)
        template.refresh_from_db()
        assert template.issued_count == 2
        assert IssuedCoupon.objects.filter(template=template, shopper=shopper).count() == 2

    def test_absolute_validity_is_copied(self):
        start = timezone.now() - datetime.timedelta(days=1)
        end = timezone.now() + datetime.timedelta(days=2)
        template = CouponTemplateFactory(valid_days=None, valid_from=start, valid_to=end)
        coupon = claims.claim(UserFactory(), template)
        assert (coupon.valid_from, coupon.valid_to) == (start, end)

    def test_sold_out(self):
        template = CouponTemplateFactory(total_quantity=1)
        claims.claim(UserFactory(), template)
        with pytest.raises(DomainError, match="All of these coupons have been claimed") as caught:
            claims.claim(UserFactory(), template)
        assert caught.value.status_code == 409
        assert IssuedCoupon.objects.filter(template=template).count() == 1

    def test_claim_windows_and_inactive(self):
        later = CouponTemplateFactory(claim_from=timezone.now() + datetime.timedelta(hours=1))
        with pytest.raises(DomainError, match="not be claimed yet"):
            claims.claim(UserFactory(), later)
        over = CouponTemplateFactory(
            claim_from=timezone.now() - datetime.timedelta(days=2),
            claim_until=timezone.now() - datetime.timedelta(days=1),
        )
        with pytest.raises(DomainError, match="no longer be claimed"):
            claims.claim(UserFactory(), over)
        with pytest.raises(DomainError, match="no longer offered"):
            claims.claim(UserFactory(), CouponTemplateFactory(is_active=False))
        assert IssuedCoupon.objects.count() == 0

    def test_live_coupon_only_in_its_room(self):
        template = CouponTemplateFactory(channel=CouponTemplate.Channel.LIVE, live_stream_id=9)
        with pytest.raises(DomainError, match="live stream"):
            claims.claim(UserFactory(), template)
        with pytest.raises(DomainError, match="live stream"):
            claims.claim(UserFactory(), template, live_stream_id=10)
        coupon = claims.claim(UserFactory(), template, live_stream_id=9)
        assert coupon.live_stream_id == 9

    def test_anonymous_cannot_claim(self):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(DomainError):
            claims.claim(AnonymousUser(), CouponTemplateFactory())

    def test_expire_sweep(self):
        shopper = UserFactory()
        coupon = claims.claim(shopper, CouponTemplateFactory(valid_days=1))
        assert claims.expire_coupons(at=timezone.now() + datetime.timedelta(days=2)) == 1
        coupon.refresh_from_db()
        assert coupon.status == IssuedCoupon.Status.EXPIRED


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(n):
        try:
            barrier.wait()
            results.append(target(n))
        except DomainError as exc:
            errors.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_total_quantity_holds_under_concurrent_claims():
    template = CouponTemplateFactory(total_quantity=5, per_shopper_limit=1, off=Decimal("10.00"))
    shoppers = [UserFactory() for _ in range(12)]
    results, errors = run_in_threads(12, lambda n: claims.claim(shoppers[n], template).pk)
    assert len(results) == 5 and errors.count("sold_out") == 7
    template.refresh_from_db()
    assert template.issued_count == 5 == IssuedCoupon.objects.filter(template=template).count()


@pytest.mark.django_db(transaction=True)
def test_per_shopper_limit_holds_under_concurrent_claims_by_one_shopper():
    template = CouponTemplateFactory(total_quantity=100, per_shopper_limit=2)
    shopper = UserFactory()
    results, errors = run_in_threads(8, lambda n: claims.claim(shopper, template).pk)
    assert len(results) == 2 and errors == ["limit_reached"] * 6
    template.refresh_from_db()
    assert template.issued_count == 2
    assert sorted(IssuedCoupon.objects.filter(shopper=shopper).values_list("seq", flat=True)) == [1, 2]
