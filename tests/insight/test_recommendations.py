"""Recommendations: trained from co-purchases and views in SQL; never sold-out, inactive or closed-store items."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from insight.models import ItemNeighbor
from insight.recs import training
from shops.models import Product, StockLevel, Store, StoreClosure
from tests.orders.helpers import sku_in
from tests.refunds.helpers import paid_order, shopper_with_address
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_home_product_and_cart_recommendations_never_show_unsellable_products():
    store, suspended, on_holiday = StoreFactory(), StoreFactory(), StoreFactory()
    seed = sku_in(store, price="10.00", stock=50)
    good = sku_in(store, price="11.00", stock=50)
    sold_out = sku_in(store, price="12.00", stock=50)
    inactive = sku_in(store, price="13.00", stock=50)
    closed = sku_in(suspended, price="14.00", stock=50)
    holiday = sku_in(on_holiday, price="15.00", stock=50)
    everything = [seed, good, sold_out, inactive, closed, holiday]
    for _ in range(3):  # three shoppers bought everything together
        paid_order(*[(sku, 1) for sku in everything])
    me, address = shopper_with_address()
    paid_order((seed, 1), user=me, address=address)

    StockLevel.objects.filter(sku=sold_out).update(quantity=0)
    Product.objects.filter(pk=inactive.product_id).update(status=Product.Status.DISABLED)
    Store.objects.filter(pk=suspended.pk).update(status=Store.Status.SUSPENDED)
    today = timezone.localdate()
    StoreClosure.objects.create(store=on_holiday, starts_on=today, ends_on=today + datetime.timedelta(days=3))
    from shops import caching

    caching.forget_hidden_stores()
    counts = training.train()
    assert counts["bought"] > 0
    assert ItemNeighbor.objects.filter(product_id=seed.product_id, neighbor_id=closed.product_id).exists()

    bad = {sold_out.product_id, inactive.product_id, closed.product_id, holiday.product_id}
    client = APIClient()
    client.force_authenticate(me)
    home = client.get("/api/v1/recommendations/", {"context": "home"})
    assert home.status_code == 200
    ids = [item["id"] for item in home.json()["results"]]
    assert good.product_id in ids and not bad & set(ids)
    product = client.get("/api/v1/recommendations/", {"context": "product", "product": seed.product_id}).json()
    ids = [item["id"] for item in product["results"]]
    assert ids[0] == good.product_id and not bad & set(ids) and seed.product_id not in ids
    anonymous = APIClient().get("/api/v1/recommendations/", {"context": "home"}).json()
    assert anonymous["results"] and not bad & {item["id"] for item in anonymous["results"]}
    assert client.get("/api/v1/recommendations/", {"context": "nope"}).status_code == 400
    assert client.get("/api/v1/recommendations/", {"context": "product", "product": "x"}).status_code == 400


def test_cold_start_shopper_gets_popular_products_and_the_fragment_renders(client):
    store = StoreFactory()
    popular = sku_in(store, price="20.00", stock=50)
    paid_order((popular, 3))
    training.train()
    shopper, _address = shopper_with_address()
    api = APIClient()
    api.force_authenticate(shopper)
    ids = [item["id"] for item in api.get("/api/v1/recommendations/", {"context": "home"}).json()["results"]]
    assert ids == [popular.product_id]
    page = client.get("/recommendations/", {"context": "product", "product": popular.product_id})
    assert page.status_code == 200


def test_eval_recs_prints_hit_rate_and_ndcg_against_popularity(capsys):
    store = StoreFactory()
    skus = [sku_in(store, price="10.00", stock=100) for _ in range(4)]
    for _ in range(4):
        shopper, address = shopper_with_address()
        paid_order((skus[0], 1), (skus[1], 1), user=shopper, address=address)
        paid_order((skus[2], 1), user=shopper, address=address)
    call_command("eval_recs")
    out = capsys.readouterr().out
    assert "hit-rate@10" in out and "NDCG@10" in out and "popularity" in out


def test_a_shoppers_recent_purchases_seed_home_newest_first_and_others_orders_do_not():
    from insight.recs import serving
    from orders.models import Order

    store = StoreFactory()
    older, newer, strangers = (sku_in(store, price="10.00", stock=50) for _ in range(3))
    me, address = shopper_with_address()
    first, _lines, _suborder = paid_order((older, 1), user=me, address=address)
    second, _lines, _suborder = paid_order((newer, 1), user=me, address=address)
    paid_order((strangers, 1))
    now = timezone.now()
    Order.objects.filter(pk=first.pk).update(paid_at=now - datetime.timedelta(days=2))
    Order.objects.filter(pk=second.pk).update(paid_at=now - datetime.timedelta(days=1))
    assert serving.recent_products(me) == [newer.product_id, older.product_id]
    Order.objects.filter(pk=second.pk).update(paid_at=now - datetime.timedelta(days=serving.HISTORY_DAYS + 1))
    assert serving.recent_products(me) == [older.product_id]
