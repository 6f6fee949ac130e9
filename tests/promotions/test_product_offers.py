"""The product page's offers fragment: the engine's final price (到手价) for the chosen SKU, and its promotions."""

from decimal import Decimal

import pytest

from tests.orders.helpers import sku_in
from tests.promotions.factories import StorePromotionFactory

pytestmark = pytest.mark.django_db


def test_final_price_is_the_engine_price_per_unit_with_the_promotions_that_made_it(client):
    sku = sku_in(price="120.00")
    StorePromotionFactory(store=sku.store, name="满100减20", every=Decimal("100.00"), off=Decimal("20.00"))
    response = client.get("/promotions/offers/", {"sku": sku.pk, "quantity": 1})
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert 'data-testid="final-price">¥100.00<' in html and "满100减20" in html
    two = client.get("/promotions/offers/", {"sku": sku.pk, "quantity": 2}).content.decode()
    assert 'data-testid="final-price">¥100.00<' in two  # 240 - 2 x 20 = 200 for two
    assert "spend ¥60.00 more to save ¥20.00" in two  # the next step at 300


@pytest.mark.parametrize("query", [{}, {"sku": "abc"}, {"sku": "999999999"}, {"sku": "1", "quantity": "-3"}])
def test_bad_or_unknown_skus_give_an_empty_fragment(client, query):
    response = client.get("/promotions/offers/", query)
    assert response.status_code == 200 and 'data-testid="offers-body"' not in response.content.decode()
