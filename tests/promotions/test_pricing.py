"""promotions.adapter.price_cart: the database side of pricing (what is in force, whose coupons, id mapping)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.api import DomainError
from promotions.adapter import CartItemInput, price_cart
from promotions.models import IssuedCoupon
from promotions.signals import first_order_stores_requested
from tests.accounts.factories import UserFactory
from tests.promotions.factories import (
    CampaignFactory,
    CouponTemplateFactory,
    EnrollmentFactory,
    IssuedCouponFactory,
    RedPacketTemplateFactory,
    StoreCouponTemplateFactory,
    StorePromotionFactory,
)
from tests.shops.factories import CategoryFactory, ProductFactory, SKUFactory, StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db

D = Decimal


def sku_in(store, price, category=None):
    product = ProductFactory(store=store, **({"category": category} if category else {}))
    return SKUFactory(product=product, price=D(price))


def items(*pairs):
    return [CartItemInput(key=f"l{n}", sku=sku, quantity=qty) for n, (sku, qty) in enumerate(pairs, start=1)]


@pytest.fixture
def two_stores():
    return TmallStoreFactory(), StoreFactory()


def test_no_promotions_prices_at_list_price(two_stores):
    s1, s2 = two_stores
    cart = price_cart(shopper=UserFactory(), items=items((sku_in(s1, "200.00"), 2), (sku_in(s2, "9.99"), 1)))
    assert [line.subtotal for line in cart.lines] == [D("400.00"), D("9.99")]
    assert [line.payable for line in cart.lines] == [D("400.00"), D("9.99")]
    assert (cart.subtotal, cart.discount, cart.payable) == (D("409.99"), D("0.00"), D("409.99"))
    assert [store.store_id for store in cart.stores] == [s1.pk, s2.pk]
    assert cart.coupons_used == [] and cart.coupon_options == []


def test_cross_store_campaign_worked_example_1(two_stores):
    s1, s2 = two_stores
    campaign = CampaignFactory(platform_share=D("0.40"))
    EnrollmentFactory(campaign=campaign, store=s1)
    EnrollmentFactory(campaign=campaign, store=s2)
    cart = price_cart(shopper=UserFactory(), items=items((sku_in(s1, "200.00"), 1), (sku_in(s2, "250.00"), 1)))
    assert [line.payable for line in cart.lines] == [D("177.78"), D("222.22")]
    first = cart.lines[0].discounts[0]
    assert (first.lane, first.source_kind, first.source_id, first.label) == (
        "cross_store",
        "campaign",
        campaign.pk,
        campaign.name,
    )
    assert first.platform_funded + first.merchant_funded == D("22.22")
    assert cart.campaign_platform_funding() == {campaign.pk: D("20.00")}
    assert cart.payable == D("400.00")


def test_only_enrolled_stores_of_the_campaign_brands_take_part(two_stores):
    s1, s2 = two_stores
    campaign = CampaignFactory(brands=["TMALL"])
    EnrollmentFactory(campaign=campaign, store=s1)
    EnrollmentFactory(campaign=campaign, store=s2)  # a Taobao store: not of the campaign's brands
    cart = price_cart(shopper=None, items=items((sku_in(s1, "200.00"), 1), (sku_in(s2, "250.00"), 1)))
    assert cart.discount == D("0.00")
    assert cart.hints and cart.hints[0].spend_more == D("100.00") and cart.hints[0].save == D("50.00")
    cart = price_cart(shopper=None, items=items((sku_in(s1, "300.00"), 1), (sku_in(StoreFactory(), "250.00"), 1)))
    assert cart.discount == D("50.00")  # only the enrolled Tmall line (300.00) counts


def test_expired_or_inactive_promotions_do_not_apply(two_stores):
    s1, _s2 = two_stores
    past = timezone.now() - datetime.timedelta(days=3)
    StorePromotionFactory(store=s1, valid_from=past, valid_to=past + datetime.timedelta(days=1))
    StorePromotionFactory(store=s1, is_active=False)
    EnrollmentFactory(store=s1, campaign=CampaignFactory(starts_at=timezone.now() + datetime.timedelta(hours=1)))
    cart = price_cart(shopper=None, items=items((sku_in(s1, "400.00"), 1)))
    assert cart.discount == D("0.00")


def test_worked_example_5_with_models():
    s1, s2 = TmallStoreFactory(), StoreFactory()
    shopper = UserFactory()
    StorePromotionFactory(store=s1, tiers=[{"threshold": "400.00", "off": "40.00"}], every=None, off=None)
    campaign = CampaignFactory()
    EnrollmentFactory(campaign=campaign, store=s1)
    EnrollmentFactory(campaign=campaign, store=s2)
    store_coupon = IssuedCouponFactory(
        shopper=shopper, template=StoreCouponTemplateFactory(store=s1, threshold=D("300.00"), off=D("20.00"))
    )
    red_packet = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory(off=D("10.00")))
    cart = price_cart(
        shopper=shopper,
        items=items((sku_in(s1, "220.00"), 1), (sku_in(s1, "180.00"), 1), (sku_in(s2, "200.00"), 1)),
    )
    assert [line.payable for line in cart.lines] == [D("146.91"), D("120.21"), D("162.88")]
    assert cart.payable == D("430.00")
    assert sorted(cart.coupons_used) == sorted([store_coupon.pk, red_packet.pk])
    assert {option.coupon_id for option in cart.coupon_options if option.selected} == set(cart.coupons_used)
    assert cart.store(s1.pk).discount == D("400.00") - D("146.91") - D("120.21")


def test_item_discounts_percent_fixed_and_amount(two_stores):
    s1, _ = two_stores
    a, b, c = sku_in(s1, "100.00"), sku_in(s1, "80.00"), sku_in(s1, "50.00")
    percent = StorePromotionFactory(
        store=s1, kind="item_discount", discount_type="percent_off", value=D("15"), every=None, off=None
    )
    percent.skus.set([a])
    fixed = StorePromotionFactory(
        store=s1, kind="item_discount", discount_type="fixed_price", value=D("59.90"), every=None, off=None
    )
    fixed.skus.set([b])
    amount = StorePromotionFactory(
        store=s1, kind="item_discount", discount_type="amount_off", value=D("8.00"), every=None, off=None
    )
    amount.skus.set([c])
    cart = price_cart(shopper=None, items=items((a, 2), (b, 1), (c, 3)))
    assert [line.base for line in cart.lines] == [D("170.00"), D("59.90"), D("126.00")]
    assert cart.lines[0].discounts[0].lane == "item"


def test_live_price_only_in_its_room_while_the_stream_is_live(two_stores):
    from promotions.services import store_promotions
    from promotions.signals import live_featured_products_requested

    s1, _ = two_stores
    sku = sku_in(s1, "100.00")
    live = StorePromotionFactory(
        store=s1, kind="item_discount", discount_type="fixed_price", value=D("79.00"), every=None, off=None,
        live_stream_id=42,
    )  # fmt: skip
    live.skus.set([sku])
    in_room = [CartItemInput(key="l1", sku=sku, quantity=1, source="live:42")]
    featured = {42: {sku.product_id}}

    def stream_42_features_it(sender, stream_ids, **kwargs):
        return {pk: products for pk, products in featured.items() if pk in stream_ids}

    live_featured_products_requested.connect(stream_42_features_it)
    try:
        assert price_cart(shopper=None, items=in_room).payable == D("100.00")
        store_promotions.open_live_prices(live_stream_id=42)
        assert price_cart(shopper=None, items=in_room).payable == D("79.00")
        assert price_cart(shopper=None, items=items((sku, 1))).payable == D("100.00")  # bought from the product page
        featured.clear()  # the stream no longer features it
        assert price_cart(shopper=None, items=in_room).payable == D("100.00")
        featured[42] = {sku.product_id}
        store_promotions.close_live_prices(live_stream_id=42)
        assert price_cart(shopper=None, items=in_room).payable == D("100.00")
    finally:
        live_featured_products_requested.disconnect(stream_42_features_it)


def test_platform_coupon_restricted_to_a_vertical_covers_its_leaves(two_stores):
    s1, s2 = two_stores
    vertical = CategoryFactory(slug="apparel")
    leaf = CategoryFactory(slug="dresses", parent=vertical)
    other = CategoryFactory(slug="food")
    shopper = UserFactory()
    template = CouponTemplateFactory(threshold=D("100.00"), off=D("30.00"))
    template.categories.set([vertical])
    coupon = IssuedCouponFactory(shopper=shopper, template=template)
    cart = price_cart(shopper=shopper, items=items((sku_in(s1, "120.00", leaf), 1), (sku_in(s2, "500.00", other), 1)))
    assert cart.coupons_used == [coupon.pk]
    assert [line.payable for line in cart.lines] == [D("90.00"), D("500.00")]
    cart = price_cart(shopper=shopper, items=items((sku_in(s2, "500.00", other), 1)))
    assert cart.coupons_used == []
    option = cart.coupon_options[0]
    assert not option.usable and not option.selected and option.reason


def test_platform_coupon_restricted_to_a_store_reaches_only_that_store(two_stores):
    """The held coupons' store restrictions are read from the link table (promotions.adapter.loading): a coupon of
    store s1 and of some other store never discounts s2, and two coupons of one template both carry it."""
    s1, s2 = two_stores
    shopper = UserFactory()
    template = CouponTemplateFactory(threshold=D("100.00"), off=D("30.00"))
    template.stores.set([s1, StoreFactory()])
    first = IssuedCouponFactory(shopper=shopper, template=template)
    second = IssuedCouponFactory(shopper=shopper, template=template)
    cart = price_cart(shopper=shopper, items=items((sku_in(s2, "500.00"), 1)))
    assert cart.coupons_used == []
    assert [option.usable for option in cart.coupon_options] == [False, False]
    cart = price_cart(shopper=shopper, items=items((sku_in(s1, "120.00"), 1), (sku_in(s2, "500.00"), 1)))
    assert cart.coupons_used in ([first.pk], [second.pk])
    assert [line.payable for line in cart.lines] == [D("90.00"), D("500.00")]


def test_explicit_choice_of_another_shoppers_coupon_is_refused(two_stores):
    s1, _ = two_stores
    other_coupon = IssuedCouponFactory(template=CouponTemplateFactory(threshold=D("0.00")))
    with pytest.raises(DomainError, match="not one of your coupons"):
        price_cart(shopper=UserFactory(), items=items((sku_in(s1, "300.00"), 1)), coupon_choice=[other_coupon.pk])


def test_explicit_choice_of_a_used_or_expired_coupon_is_refused(two_stores):
    s1, _ = two_stores
    shopper = UserFactory()
    used = IssuedCouponFactory(shopper=shopper, status=IssuedCoupon.Status.USED, order_id=7)
    expired = IssuedCouponFactory(shopper=shopper, valid_to=timezone.now() - datetime.timedelta(minutes=1),
                                  valid_from=timezone.now() - datetime.timedelta(days=2))  # fmt: skip
    line = items((sku_in(s1, "300.00"), 1))
    with pytest.raises(DomainError, match="already been used"):
        price_cart(shopper=shopper, items=line, coupon_choice=[used.pk])
    with pytest.raises(DomainError, match="expired"):
        price_cart(shopper=shopper, items=line, coupon_choice=[expired.pk])


def test_explicit_choice_below_threshold_is_refused_and_empty_choice_uses_none(two_stores):
    s1, _ = two_stores
    shopper = UserFactory()
    coupon = IssuedCouponFactory(shopper=shopper, template=CouponTemplateFactory(threshold=D("500.00")))
    line = items((sku_in(s1, "300.00"), 1))
    with pytest.raises(DomainError, match="minimum spend"):
        price_cart(shopper=shopper, items=line, coupon_choice=[coupon.pk])
    red = IssuedCouponFactory(shopper=shopper, template=RedPacketTemplateFactory())
    assert price_cart(shopper=shopper, items=line).coupons_used == [red.pk]
    assert price_cart(shopper=shopper, items=line, coupon_choice=[]).coupons_used == []


def test_first_order_gift_asks_who_answers_the_first_order_signal(two_stores):
    s1, s2 = two_stores
    StorePromotionFactory(store=s1, kind="first_order_gift", off=D("10.00"), threshold=D("0.00"), every=None)
    StorePromotionFactory(store=s2, kind="first_order_gift", off=D("10.00"), threshold=D("0.00"), every=None)
    cart_items = items((sku_in(s1, "100.00"), 1), (sku_in(s2, "100.00"), 1))
    assert price_cart(shopper=UserFactory(), items=cart_items).discount == D("20.00")  # no order yet: all stores

    def only_second_store(sender, shopper, store_ids, **kwargs):
        return {s2.pk}

    first_order_stores_requested.connect(only_second_store)
    try:
        cart = price_cart(shopper=UserFactory(), items=cart_items)
    finally:
        first_order_stores_requested.disconnect(only_second_store)
    assert [line.payable for line in cart.lines] == [D("100.00"), D("90.00")]


def test_exclusive_store_threshold_blocks_store_coupons(two_stores):
    s1, _ = two_stores
    shopper = UserFactory()
    StorePromotionFactory(store=s1, exclusive=True)
    coupon = IssuedCouponFactory(
        shopper=shopper, template=StoreCouponTemplateFactory(store=s1, threshold=D("100.00"), off=D("10.00"))
    )
    line = items((sku_in(s1, "200.00"), 1))
    assert price_cart(shopper=shopper, items=line).coupons_used == []
    with pytest.raises(DomainError, match="exclusive"):
        price_cart(shopper=shopper, items=line, coupon_choice=[coupon.pk])


def test_campaign_without_budget_left_is_not_offered(two_stores):
    s1, s2 = two_stores
    campaign = CampaignFactory(platform_share=D("1.00"), budget=D("100.00"), spent=D("80.00"))
    EnrollmentFactory(campaign=campaign, store=s1)
    small = items((sku_in(s1, "300.00"), 1))
    big = items((sku_in(s1, "600.00"), 1))
    # 50.00 platform-funded > 20.00 left: the campaign is left out rather than promising what checkout refuses
    assert price_cart(shopper=None, items=small).discount == D("0.00")
    campaign.spent = D("40.00")
    campaign.save()
    assert price_cart(shopper=None, items=small).discount == D("50.00")
    assert price_cart(shopper=None, items=big).discount == D("0.00")  # 100.00 > 60.00 left


def test_bad_items_are_refused(two_stores):
    s1, _ = two_stores
    sku = sku_in(s1, "10.00")
    with pytest.raises(DomainError):
        price_cart(shopper=None, items=[CartItemInput(key="a", sku=sku, quantity=0)])
    with pytest.raises(DomainError):
        price_cart(shopper=None, items=[CartItemInput("a", sku, 1), CartItemInput("a", sku, 2)])


def test_stores_follow_the_cart_order(two_stores):
    s1, s2 = two_stores
    cart = price_cart(shopper=None, items=items((sku_in(s2, "10.00"), 1), (sku_in(s1, "20.00"), 1)))
    assert [store.store_id for store in cart.stores] == [s2.pk, s1.pk]
    assert [line.store_id for line in cart.lines] == [s2.pk, s1.pk]
