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


def _bought_together(*skus, times=3):
    for _ in range(times):
        paid_order(*[(sku, 1) for sku in skus])


def test_training_ranks_each_active_shoppers_home_list_as_serving_would_from_their_history():
    from insight.models import ShopperPicks
    from insight.recs import serving

    store = StoreFactory()
    a, b, c, d, e = (sku_in(store, price="10.00", stock=100) for _ in range(5))
    _bought_together(a, b, c)
    _bought_together(b, d, times=2)
    me, address = shopper_with_address()
    paid_order((a, 1), user=me, address=address)
    paid_order((d, 1), user=me, address=address)
    idle, _address = shopper_with_address()

    counts = training.train()

    picks = ShopperPicks.objects.get(user=me)
    live = serving.neighbor_scores(serving.recent_products(me))
    ranked_live = [pk for pk, _ in sorted(live.items(), key=lambda item: (-item[1], item[0]))]
    assert picks.product_ids == ranked_live and picks.product_ids
    assert picks.scores == pytest.approx([live[pk] for pk in ranked_live])
    assert set(picks.category_ids) == {a.product.category_id, d.product.category_id}
    assert counts["shoppers"] >= 1 and not ShopperPicks.objects.filter(user=idle).exists()
    assert e.product_id not in picks.product_ids


def test_home_reads_the_trained_list_and_blends_in_what_the_shopper_bought_since(django_assert_max_num_queries):
    import time_machine

    from insight.recs import serving

    store = StoreFactory()
    a, b, c, d, e = (sku_in(store, price="10.00", stock=100) for _ in range(5))
    _bought_together(a, b)
    _bought_together(a, e, times=1)
    _bought_together(c, d)
    me, address = shopper_with_address()
    paid_order((a, 1), user=me, address=address)
    training.train()
    serving.recommend("home", user=me)  # the store directory and today's closures cached, as on a warm server

    with django_assert_max_num_queries(2):  # the trained row (with what happened since), the showable filter
        home = [product.pk for product in serving.recommend("home", user=me, limit=1)]
    assert home == [b.product_id]

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        paid_order((c, 1), user=me, address=address)  # bought after the list was ranked
        ids = [product.pk for product in serving.recommend("home", user=me)]
    assert d.product_id in ids and b.product_id in ids


def test_opting_out_forgets_the_trained_list_and_home_turns_generic():
    from insight import services
    from insight.models import ShopperPicks
    from insight.recs import serving

    store = StoreFactory()
    a, b, popular_one = (sku_in(store, price="10.00", stock=100) for _ in range(3))
    _bought_together(a, b)
    paid_order((popular_one, 30))
    me, address = shopper_with_address()
    paid_order((a, 1), user=me, address=address)
    training.train()
    assert ShopperPicks.objects.filter(user=me).exists()

    services.set_opt_out(me, True)

    assert not ShopperPicks.objects.filter(user=me).exists()
    assert serving.recommend("home", user=me)[0].pk == popular_one.product_id
    training.train()
    assert not ShopperPicks.objects.filter(user=me).exists()
