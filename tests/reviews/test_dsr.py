"""DSR: the floor of 10 scores, the sliding 180-day window, the vertical comparison, sales_count."""

import datetime

import pytest
from django.utils import timezone

from reviews import dsr, rules, sales
from reviews.models import Review, StoreRatingDay
from reviews.services import reviews as services
from shops.models import Product, StoreRating
from tests.reviews.helpers import received_line
from tests.shops.factories import CategoryFactory, StoreFactory

pytestmark = pytest.mark.django_db


def review_many(store, count, scores, sku=None):
    made = []
    for _ in range(count):
        shopper, _suborder, line = received_line(store=store, sku=sku)
        made.append(services.post_review(shopper=shopper, line_id=line.pk, rating=5, dsr=scores))
    return made


def test_floor_and_sliding_window():
    store = StoreFactory()
    reviews = review_many(store, rules.DSR_FLOOR, {"description": 5, "service": 4, "logistics": 3})
    dsr.recompute([store.pk])
    rating = StoreRating.objects.get(store=store)
    assert (rating.description, rating.service, rating.logistics, rating.count) == (5, 4, 3, 10)
    # One score slides out of the 180-day window: below the floor again, the means disappear, the count stays.
    Review.objects.filter(pk=reviews[0].pk).update(created_at=timezone.now() - datetime.timedelta(days=181))
    dsr.recompute()
    rating.refresh_from_db()
    assert (rating.description, rating.service, rating.logistics, rating.count) == (None, None, None, 9)
    assert StoreRatingDay.objects.get(store=store, day=timezone.localdate()).count == 9


def test_vertical_comparison():
    vertical = CategoryFactory()
    good, poor = StoreFactory(), StoreFactory()
    from tests.shops.factories import ProductFactory, SKUFactory

    def sku_of(store):
        return SKUFactory(product=ProductFactory(store=store, category=vertical), stock=50)

    review_many(good, 10, {"description": 5, "service": 5, "logistics": 5}, sku=sku_of(good))
    review_many(poor, 10, {"description": 3, "service": 3, "logistics": 3}, sku=sku_of(poor))
    dsr.recompute()
    good_rating, poor_rating = StoreRating.objects.get(store=good), StoreRating.objects.get(store=poor)
    assert good_rating.vertical_id == vertical.pk
    # Vertical mean 4.00: 5 is 25% higher, 3 is 25% lower.
    assert good_rating.versus_vertical == {"description": 25.0, "service": 25.0, "logistics": 25.0}
    assert poor_rating.versus_vertical == {"description": -25.0, "service": -25.0, "logistics": -25.0}
    # Recommended rank: one unit sold each, weighted by the DSR (5/5 -> 1, 3/5 -> 0.6 -> rounds to 1).
    sales.recompute()
    assert list(Product.objects.filter(store=good).values_list("sales_count", "recommend_score")) == [(10, 10)]
    assert list(Product.objects.filter(store=poor).values_list("sales_count", "recommend_score")) == [(10, 6)]


def test_sales_count_is_last_30_days_of_paid_units_minus_refunds():
    shopper, suborder, line = received_line(quantity=3)
    product = Product.objects.get(pk=line.sku.product_id)
    Product.objects.filter(pk=product.pk).update(sales_count=4321)  # a seeded figure the worker corrects
    sales.recompute([product.pk])
    product.refresh_from_db()
    assert product.sales_count == 3
    from refunds.models import RefundRequest
    from refunds.services import policies

    refund = RefundRequest.objects.create(
        suborder=suborder, store=suborder.store, shopper=shopper, reason="damaged", amount=line.payable,
        status=RefundRequest.Status.REFUNDED, policy_version=policies.current_version(), idempotency_key="k",
    )  # fmt: skip
    refund.lines.create(order_line=line, quantity=1, amount=line.unit_price)
    sales.recompute()
    product.refresh_from_db()
    assert product.sales_count == 2
    type(suborder).objects.filter(pk=suborder.pk).update(paid_at=timezone.now() - datetime.timedelta(days=31))
    assert sales.recompute() == 1
    product.refresh_from_db()
    assert product.sales_count == 0
    assert sales.recompute() == 0  # nothing changed, nothing written
