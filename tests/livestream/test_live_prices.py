"""A live price (直播间专享价) reaches only a featured product bought in its stream's room while the stream is live;
the same SKU bought from the product page costs what the product page says."""

from decimal import Decimal

import pytest
from django.utils import timezone

from livestream import services
from promotions.adapter import CartItemInput, price_cart
from promotions.models import StorePromotion
from promotions.services import store_promotions
from tests.livestream.factories import StreamFactory
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db


def sku_of(store, price="120.00"):
    return SKUFactory(product=ProductFactory(store=store), price=Decimal(price))


def unit_payable(sku, source=""):
    priced = price_cart(shopper=None, items=[CartItemInput(key="a", sku=sku, quantity=1, source=source)])
    return priced.lines[0].payable


def test_a_live_price_applies_only_in_its_room_while_live():
    stream = StreamFactory()
    host = stream.store.merchant.owner
    sku = sku_of(stream.store)
    services.feature_product(stream, sku.product, live_price="99.00")
    room = f"live:{stream.pk}"

    assert unit_payable(sku, room) == Decimal("120.00")  # not live yet
    services.go_live(stream, by=host)
    assert unit_payable(sku, room) == Decimal("99.00")
    assert unit_payable(sku) == Decimal("120.00")  # the product page's purchase
    assert unit_payable(sku, "live:999999") == Decimal("120.00")  # another room
    services.end_stream(stream, by=host)
    assert unit_payable(sku, room) == Decimal("120.00")


def test_a_live_price_for_a_stream_that_does_not_feature_the_product_never_applies():
    stream = StreamFactory()
    services.go_live(stream, by=stream.store.merchant.owner)
    other_store = StoreFactory()
    sku = sku_of(other_store, "604.00")
    promotion = store_promotions.save_store_promotion(
        store=other_store,
        data={
            "kind": StorePromotion.Kind.ITEM_DISCOUNT,
            "name": "直播间专享价",
            "discount_type": StorePromotion.DiscountType.AMOUNT_OFF,
            "value": Decimal("50.00"),
            "skus": [sku.pk],
            "live_stream_id": stream.pk,
        },
    )
    store_promotions.open_live_prices(live_stream_id=stream.pk)
    assert StorePromotion.objects.get(pk=promotion.pk).in_force(timezone.now())

    assert unit_payable(sku) == Decimal("604.00")
    assert unit_payable(sku, f"live:{stream.pk}") == Decimal("604.00")


def test_a_normal_item_discount_still_reaches_a_line_bought_in_a_room():
    stream = StreamFactory()
    services.go_live(stream, by=stream.store.merchant.owner)
    sku = sku_of(stream.store)
    store_promotions.save_store_promotion(
        store=stream.store,
        data={
            "kind": StorePromotion.Kind.ITEM_DISCOUNT,
            "name": "Sale",
            "discount_type": StorePromotion.DiscountType.AMOUNT_OFF,
            "value": Decimal("20.00"),
            "skus": [sku.pk],
        },
    )
    assert unit_payable(sku) == Decimal("100.00")
    assert unit_payable(sku, f"live:{stream.pk}") == Decimal("100.00")


def test_a_live_price_is_named_in_the_readers_language():
    from django.utils import translation

    stream = StreamFactory(title="双11 直播")
    featured = services.feature_product(stream, sku_of(stream.store).product, live_price="99.00")
    promotion = StorePromotion.objects.get(pk=featured.live_promotion_id)
    assert promotion.name == "双11 直播"  # stored without English words
    with translation.override("en"):
        assert promotion.display_name == "Live price: 双11 直播"
    with translation.override("zh-hans"):
        assert promotion.display_name == "直播价：双11 直播"


def test_a_cart_line_keeps_the_live_price_only_while_every_unit_came_from_that_room():
    from orders import cart as carts
    from orders import cart_view
    from orders.models import Cart
    from tests.accounts.factories import UserFactory

    stream = StreamFactory()
    sku = sku_of(stream.store)
    services.feature_product(stream, sku.product, live_price="99.00")
    services.go_live(stream, by=stream.store.merchant.owner)
    room, other_room = f"live:{stream.pk}", f"live:{stream.pk + 1}"
    shopper = UserFactory()
    cart = Cart.objects.create(shopper=shopper)

    def line_payable():
        view = cart_view.view_cart(cart, shopper)
        return [(line.priced.payable, line.item.quantity) for group in view.groups for line in group.lines]

    carts.add_item(cart, sku_id=sku.pk, quantity=1, source=room, shopper=shopper)
    carts.add_item(cart, sku_id=sku.pk, quantity=1, source=room, shopper=shopper)
    assert cart.items.get().source == room
    assert line_payable() == [(Decimal("198.00"), 2)]  # both units bought in the room
    carts.add_item(cart, sku_id=sku.pk, quantity=1, source="", shopper=shopper)  # one more from the product page
    assert cart.items.get().source == ""
    assert line_payable() == [(Decimal("360.00"), 3)]

    assert carts.merged_source("", room) == ""  # units from the product page, then from the room
    assert carts.merged_source("search", room) == "search"
    assert carts.merged_source(room, "recommendation") == "recommendation"
    assert carts.merged_source(room, other_room) == ""  # two rooms, two prices: neither for all units
    assert carts.merged_source("search", "recommendation") == "recommendation"  # attribution: the latest
    assert carts.merged_source("search", "") == "search"
