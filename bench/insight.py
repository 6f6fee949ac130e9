"""Insight benchmark: analytics page p95 at N order lines, recommendation serving p95, forecast backtest, hit-rate.

    .venv/bin/python bench/insight.py [--lines 1000000] [--stores 20] [--skus 50] [--rounds 50] [--keep-db]
    .venv/bin/python bench/insight.py --reuse-db   # time again on the database a --keep-db run left

Generating a year of history takes most of a run (~20 minutes for 1,000,000 lines on this machine), so a run can
keep its database and later runs time the same data again on a quiet machine.

1. Creates a fresh database ``marketplace_bench_insight`` on the dev PostgreSQL (migrated; dropped at the end unless
   --keep-db), with ``--stores`` open stores of ``--skus`` SKUs each.
2. insight.history.generate writes a year of paid orders sized to about ``--lines`` order lines (weekly
   seasonality, campaign spikes, views for the last 180 days), then rolls up the finished days, trains the
   recommendations and refreshes the forecasts (the worker's jobs), timing each.
3. Analytics: GET /seller/analytics/ (30 days, one store, and all stores) and GET /api/v1/seller/analytics/ as the
   store owner, ``--rounds`` times each, in process (Django test client); p50/p95 in ms. Goal p95 <= 300 ms.
4. Recommendations: recommend("home") for random shoppers and recommend("product") for random products; p95 in ms.
   Goal <= 20 ms.
5. manage.py backtest_forecast and eval_recs figures (WAPE/MASE vs seasonal-naive; hit-rate@10/NDCG@10 vs
   popularity).
The storefront ratios with event recording on come from bench/storefront.py (the event middleware is installed).

Last line: ``insight lines=.. analytics_p95_ms=.. api_p95_ms=.. recs_p95_ms=.. wape=.. naive_wape=.. hit_rate=..``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

BENCH_DB = "marketplace_bench_insight"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(function, rounds: int) -> dict:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50": statistics.median(samples), "p95": p95(samples)}


def catalog(stores: int, skus: int):
    from decimal import Decimal

    from accounts.models import User
    from shops.models import SKU, Category, Merchant, Product, StockLevel, StockPool, Store

    owner = User.objects.create(username="insight-bench-owner")
    merchant = Merchant.objects.create(name="Insight Bench", owner=owner)
    categories = [
        Category.objects.create(name=f"类目{i}", name_en=f"Category {i}", slug=f"bench-{i}") for i in range(8)
    ]
    rng = random.Random(1)
    created = []
    for s in range(stores):
        store = Store.objects.create(merchant=merchant, name=f"压测店{s}", slug=f"insight-bench-{s}", brand="TAOBAO",
                                     status="open")  # fmt: skip
        from shops.models import StaffRole, StoreStaff

        StoreStaff.objects.create(store=store, user=owner, role=StaffRole.OWNER)
        for k in range(skus):
            product = Product.objects.create(store=store, category=rng.choice(categories), title=f"商品{s}-{k}",
                                             min_price=Decimal(rng.randint(10, 300)))  # fmt: skip
            sku = SKU.objects.create(product=product, code=f"B{s}-{k}", price=product.min_price)
            StockLevel.objects.create(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=10_000)
        created.append(store)
    return owner, created


def existing_catalog():
    from accounts.models import User
    from shops.models import Store

    owner = User.objects.get(username="insight-bench-owner")
    return owner, list(Store.objects.filter(slug__startswith="insight-bench-").order_by("pk"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--skus", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="time the data a --keep-db run left (kept again)")
    args = parser.parse_args()
    args.keep_db = args.keep_db or args.reuse_db

    from bench.refunds import _admin_sql, bench_database_url

    admin, _url = bench_database_url()
    url = _url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    if not args.reuse_db:
        _admin_sql(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)', f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = url
    os.environ["DEVSTACK_AUTOSTART"] = "0"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-insight-{os.getpid()}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    try:
        from django.test import Client

        from insight import forecast, history
        from insight.recs import evaluation, serving
        from orders.models import OrderLine

        if args.reuse_db:
            owner, stores = existing_catalog()
        else:
            owner, stores = catalog(args.stores, args.skus)
            per_day = max(1, round(args.lines / 1.9 / 365))
            start = time.perf_counter()
            result = history.generate(days=365, orders_per_day=per_day, shoppers=max(50, per_day * 4), seed=5,
                                      stdout=sys.stdout)  # fmt: skip
            print(f"history: {result} in {time.perf_counter() - start:.0f} s")
        lines = OrderLine.objects.count()
        print(f"order lines={lines}")

        client = Client()
        client.force_login(owner)
        for path in ("/seller/analytics/", "/seller/analytics/?scope=all", "/api/v1/seller/analytics/"):
            client.get(path)  # warm up: templates compiled, connections open
        page = timed(lambda: client.get("/seller/analytics/"), args.rounds)
        page_all = timed(lambda: client.get("/seller/analytics/?scope=all"), args.rounds)
        api = timed(lambda: client.get("/api/v1/seller/analytics/", {"store": stores[0].pk}), args.rounds)
        print(f"analytics page (one store, 30 days): p50={page['p50']:.1f} ms p95={page['p95']:.1f} ms")
        print(f"analytics page (all stores):          p50={page_all['p50']:.1f} ms p95={page_all['p95']:.1f} ms")
        print(f"analytics API:                         p50={api['p50']:.1f} ms p95={api['p95']:.1f} ms")

        from django.contrib.auth import get_user_model

        shoppers = list(get_user_model().objects.filter(username__startswith="hist5_")[:500])
        products = list(stores[0].products.values_list("pk", flat=True))
        rng = random.Random(2)
        home = timed(lambda: serving.recommend("home", user=rng.choice(shoppers)), args.rounds * 4)
        product = timed(lambda: serving.recommend("product", product_id=rng.choice(products)), args.rounds * 4)
        print(f"recommendations home: p50={home['p50']:.1f} ms p95={home['p95']:.1f} ms; "
              f"product: p50={product['p50']:.1f} ms p95={product['p95']:.1f} ms")  # fmt: skip

        backtest = forecast.backtest(8, limit=100)
        print(f"backtest (8 weeks, {backtest['series']} series): model WAPE={backtest['model_wape']:.3f} "
              f"MASE={backtest['model_mase']:.3f}; seasonal-naive WAPE={backtest['naive_wape']:.3f} "
              f"MASE={backtest['naive_mase']:.3f}")  # fmt: skip
        recs = evaluation.evaluate(1000)
        print(f"eval_recs ({recs['shoppers']} shoppers): hit-rate@10={recs['model_hit_rate']:.3f} "
              f"NDCG@10={recs['model_ndcg']:.3f}; popularity hit-rate@10={recs['popularity_hit_rate']:.3f} "
              f"NDCG@10={recs['popularity_ndcg']:.3f}")  # fmt: skip
        print(f"insight lines={lines} analytics_p95_ms={page['p95']:.1f} api_p95_ms={api['p95']:.1f} "
              f"recs_p95_ms={max(home['p95'], product['p95']):.1f} wape={backtest['model_wape']:.3f} "
              f"naive_wape={backtest['naive_wape']:.3f} hit_rate={recs['model_hit_rate']:.3f}")  # fmt: skip
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _admin_sql(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
