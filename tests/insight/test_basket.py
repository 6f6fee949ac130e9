"""凑单: short of a store threshold, suggest the products of that store that close the gap with the least
overspend, priced by the engine; sold-out products are never suggested."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from orders import cart as carts
from shops.models import StockLevel
from tests.accounts.factories import UserFactory
from tests.orders.helpers import cart_of, sku_in
from tests.promotions.factories import StorePromotionFactory
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_suggestions_close_the_gap_with_least_overspend_and_really_save():
    store, elsewhere = StoreFactory(), StoreFactory()
    StorePromotionFactory(store=store, every=Decimal("200.00"), off=Decimal("20.00"))
    in_cart = sku_in(store, price="163.00")
    exact = sku_in(store, price="37.00")
    bigger = sku_in(store, price="45.00")
    sold_out = sku_in(store, price="38.00")
    StockLevel.objects.filter(sku=sold_out).update(quantity=0)
    sku_in(elsewhere, price="37.00")  # another store: does not count towards this store's threshold
    shopper = UserFactory()
    carts.add_item(cart_of(shopper), sku_id=in_cart.pk, quantity=1, shopper=shopper)
    client = APIClient()
    client.force_authenticate(shopper)
    gaps = client.get("/api/v1/cart/fill-up/").json()
    assert len(gaps) == 1 and Decimal(gaps[0]["spend_more"]) == Decimal("37.00")
    suggested = [item["sku_id"] for item in gaps[0]["suggestions"]]
    assert suggested[:2] == [exact.pk, bigger.pk] and sold_out.pk not in suggested
    assert Decimal(gaps[0]["suggestions"][0]["overspend"]) == 0
    assert Decimal(gaps[0]["suggestions"][0]["saves"]) == Decimal("20.00")


def test_a_cart_without_a_gap_or_no_cart_gets_nothing(client):
    assert APIClient().get("/api/v1/cart/fill-up/").json() == []
    assert client.get("/cart/fill-up/").status_code == 200
