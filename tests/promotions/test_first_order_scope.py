"""首单礼金 "new to this store" or "new to any of my stores": a shopper who bought at the merchant's Taobao store is
not new at its Tmall store when the gift is merchant-wide, but still is when the gift is per store."""

from decimal import Decimal

import pytest

from orders.services import mark_order_paid
from promotions.models import StorePromotion
from promotions.services.store_promotions import save_store_promotion
from tests.customers.helpers import token_client
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.promotions.factories import StorePromotionFactory
from tests.shops.factories import StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db
D = Decimal


def gift_in(store, scope):
    return StorePromotionFactory(
        store=store, kind="first_order_gift", off=D("10.00"), threshold=D("0.00"), every=None,
        first_order_scope=scope,
    )  # fmt: skip


@pytest.mark.parametrize(("scope", "gift"), [("store", D("10.00")), ("merchant", D("0.00"))])
def test_an_order_at_a_sister_store_ends_only_a_merchant_wide_gift(scope, gift):
    taobao = StoreFactory()
    tmall = TmallStoreFactory(merchant=taobao.merchant)
    gift_in(tmall, scope)
    shopper, address = shopper_with_address()
    order, _ = buy(shopper, address, (sku_in(taobao), 1))
    mark_order_paid(order, reference="sandbox-sister")

    later, _ = buy(shopper, address, (sku_in(tmall), 1))

    assert later.suborders.get().discount == gift


def test_a_shopper_new_to_the_merchant_gets_the_merchant_wide_gift_and_other_merchants_do_not_count():
    taobao = StoreFactory()
    tmall = TmallStoreFactory(merchant=taobao.merchant)
    gift_in(tmall, "merchant")
    shopper, address = shopper_with_address()
    elsewhere, _ = buy(shopper, address, (sku_in(StoreFactory()), 1))
    mark_order_paid(elsewhere, reference="sandbox-elsewhere")
    unpaid_at_sister, _ = buy(shopper, address, (sku_in(taobao), 1))  # unpaid: not an order yet

    first, _ = buy(shopper, address, (sku_in(tmall), 1))

    assert first.suborders.get().discount == D("10.00")
    assert unpaid_at_sister.suborders.get().discount == D("0.00")


def test_scope_is_validated_and_offered_in_the_api():
    store = StoreFactory()
    with pytest.raises(Exception) as refused:
        save_store_promotion(store=store, data={"kind": "first_order_gift", "name": "首单", "off": "5.00",
                                                "first_order_scope": "planet"})  # fmt: skip
    assert "first_order_scope" in str(refused.value)
    client = token_client(store.merchant.owner)
    created = client.post(
        f"/api/v1/promotions/stores/{store.pk}/promotions/",
        {"kind": "first_order_gift", "name": "新客礼", "off": "5.00", "threshold": "0.00",
         "first_order_scope": "merchant"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["first_order_scope"] == "merchant"
    promotion = StorePromotion.objects.get(pk=created.json()["id"])
    assert promotion.first_order_scope == "merchant" and "any of our stores" in promotion.rule_label()
