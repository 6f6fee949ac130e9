import io
from decimal import Decimal

import pytest

from accounts import demo as accounts_demo
from promotions import demo
from promotions.adapter import CartItemInput, price_cart
from promotions.models import Campaign, CouponTemplate, IssuedCoupon, StorePromotion
from shops import demo as shops_demo
from shops.models import SKU, Store


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_prices():
    out = io.StringIO()
    accounts_demo.seed(out)
    shops_demo.seed(out)
    demo.seed(out)
    counts = (Campaign.objects.count(), StorePromotion.objects.count(), CouponTemplate.objects.count(),
              IssuedCoupon.objects.count())  # fmt: skip
    demo.seed(out)
    assert counts == (Campaign.objects.count(), StorePromotion.objects.count(), CouponTemplate.objects.count(),
                      IssuedCoupon.objects.count())  # fmt: skip
    campaign = Campaign.objects.get(name=demo.CAMPAIGN_NAME)
    assert campaign.enrollments.count() == Store.objects.filter(status=Store.Status.OPEN).count()
    alice = accounts_demo.User.objects.get(username="alice")
    assert IssuedCoupon.objects.filter(shopper=alice).count() >= 3
    tmall = SKU.objects.filter(store__brand="TMALL", store__status="open").order_by("-price").first()
    taobao = SKU.objects.filter(store__brand="TAOBAO", store__status="open").order_by("-price").first()
    priced = price_cart(shopper=alice, items=[CartItemInput("a", tmall, 1), CartItemInput("b", taobao, 1)])
    assert priced.discount > Decimal("0.00")
    assert any(d.source_kind == "campaign" for line in priced.lines for d in line.discounts)
    assert priced.coupons_used
