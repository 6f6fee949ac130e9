"""Instant-refund benchmark with real Celery workers on the dev stack.

    .venv/bin/python bench/refunds.py [--idle 100] [--burst 1000] [--concurrency 4] [--keep-db]

1. Creates a fresh database ``marketplace_bench_refunds`` on the dev PostgreSQL (migrated; dropped at the end unless
   --keep-db) so the run neither depends on nor pollutes the development data, and a queue of its own on Redis.
2. Prepares ``idle + burst`` paid single-line orders in a Tmall store (instant refunds, no limit) through the real
   checkout and payment services.
3. Idle latency: one worker process (concurrency 1) is started; ``--idle`` refunds are requested one after another,
   each timed from the request (the shopper's POST, here the same service call) to the row reading ``refunded``.
4. Burst: ``--burst`` refunds are requested at once from 8 threads while no worker runs (they queue up, as under a
   flood), then 2 worker processes (``--concurrency`` each) start; refunds/s = burst / time to pay them all.
   The request rate of the submitting threads is printed too.
5. Runs every ledger check (each app's ledger_checks, as ``manage.py check_ledger`` does) and prints the result.

Last line: ``refunds idle_p50_ms=.. idle_p99_ms=.. burst=N burst_refunds_per_s=.. ledger=clean|N problems``.
Goal: p99 <= 1000 ms idle, >= 200 refunds/s in the burst, ledger clean.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
from bench import support  # noqa: E402

BENCH_DB = "marketplace_bench_refunds"
QUEUE = f"bench-refunds-{os.getpid()}"


def bench_database_url() -> tuple[str, str]:
    """(admin url on the 'postgres' database, bench database url)."""
    from marketplace import devstack

    devstack.up()
    url = urlsplit(devstack.environment()["DATABASE_URL"])
    admin = urlunsplit(url._replace(path="/postgres"))
    return admin, urlunsplit(url._replace(path=f"/{BENCH_DB}"))


def recreate_database(admin_url: str) -> None:
    _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)', f'CREATE DATABASE "{BENCH_DB}"')


def drop_database(admin_url: str) -> None:
    _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _admin_sql(admin_url: str, *statements: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ["DEVSTACK_AUTOSTART"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- data ---------------------------------------------------------------------------------------------------------


def prepare(count: int):
    """``count`` paid orders of one unit each, in a Tmall store; returns [(shopper, sub-order id, line id)]."""
    from decimal import Decimal

    from accounts.models import Address, User
    from orders import cart as carts
    from orders.checkout import place_order
    from orders.models import Cart
    from payments import services as payment_services
    from payments.gateway import get_gateway
    from shops.models import SKU, BrandAuthorization, Category, Merchant, Product, StockLevel, StockPool, Store

    owner = User.objects.create(username="refund-bench-merchant")
    merchant = Merchant.objects.create(name="Refund Bench", owner=owner)
    store = Store.objects.create(
        merchant=merchant, name="退款压测店", slug="refund-bench", brand="TMALL", status="open"
    )
    BrandAuthorization.objects.create(store=store, brand_name="Bench", status="approved")
    category = Category.objects.create(name="压测", name_en="Bench", slug="bench")
    product = Product.objects.create(store=store, category=category, title="秒退压测商品")
    sku = SKU.objects.create(product=product, code="REFUND-1", price=Decimal("59.00"))
    StockLevel.objects.create(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=count + 10)
    users = User.objects.bulk_create([User(username=f"refund-buyer-{i:05d}", password="!") for i in range(count)])
    Address.objects.bulk_create(
        Address(user=user, recipient="压测", phone="13800000000", province="浙江省", city="杭州市", district="余杭区",
                detail="1 号", is_default=True)
        for user in users
    )  # fmt: skip
    addresses = dict(Address.objects.filter(user__in=users).values_list("user_id", "pk"))
    prepared: list = []
    lock = threading.Lock()

    def buy(chunk):
        from django.db import connection

        try:
            for user in chunk:
                cart = Cart.objects.create(shopper=user)
                carts.add_item(cart, sku_id=sku.pk, quantity=1, shopper=user)
                order, _ = place_order(shopper=user, cart=cart, idempotency_key=uuid.uuid4().hex,
                                       address_id=addresses[user.pk], coupon_choice=[])  # fmt: skip
                payment = get_gateway().create_payment(order, order.payable, "http://127.0.0.1/bench")
                payment_services.apply_success(payment)
                suborder = order.suborders.get()
                with lock:
                    prepared.append((user, suborder.pk, suborder.lines.get().pk))
        finally:
            connection.close()

    run_in_threads(buy, users, 4)
    return prepared


def run_in_threads(function, items, threads: int) -> None:
    chunks = [items[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=function, args=(chunk,)) for chunk in chunks if chunk]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


# --- workers ------------------------------------------------------------------------------------------------------


def start_worker(name: str, concurrency: int, database_url: str) -> subprocess.Popen:
    env = {"DATABASE_URL": database_url, "DB_CONN_MAX_AGE": "60"}
    return support.start_worker(f"bench-refunds-{name}", concurrency, QUEUE, env)


# --- measurements -------------------------------------------------------------------------------------------------


def request(shopper, suborder_id: int, line_id: int):
    from refunds.services.requests import create_request

    return create_request(shopper=shopper, suborder_id=suborder_id, quantities={line_id: 1}, reason="not_wanted",
                          idempotency_key=uuid.uuid4().hex)  # fmt: skip


def idle_latencies(cases) -> list[float]:
    from refunds.models import RefundRequest

    latencies = []
    for shopper, suborder_id, line_id in cases:
        started = time.perf_counter()
        refund = request(shopper, suborder_id, line_id)
        assert refund.status == RefundRequest.Status.APPROVED, "the bench store must refund instantly"
        while RefundRequest.objects.filter(pk=refund.pk, status=RefundRequest.Status.REFUNDED).count() == 0:
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"refund {refund.pk} not paid within 30 s")
            time.sleep(0.002)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def submit_burst(cases) -> list[int]:
    """Request every refund at once from 8 threads (the web tier's share); returns the request ids."""
    started = time.perf_counter()
    ids: list[int] = []
    lock = threading.Lock()

    def submit(chunk):
        from django.db import connection

        try:
            for case in chunk:
                refund = request(*case)
                with lock:
                    ids.append(refund.pk)
        finally:
            connection.close()

    run_in_threads(submit, cases, 8)
    elapsed = time.perf_counter() - started
    print(f"burst: {len(ids)} refunds requested in {elapsed:.2f} s ({len(ids) / elapsed:.0f} requests/s)")
    return ids


def drain(ids: list[int], started: float) -> float:
    """Wait until every request is refunded; returns refunds/s since `started` (when the workers began)."""
    from refunds.models import RefundRequest

    while RefundRequest.objects.filter(pk__in=ids, status=RefundRequest.Status.REFUNDED).count() < len(ids):
        if time.perf_counter() - started > 600:
            raise RuntimeError("burst not finished within 10 minutes")
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    print(f"burst: {len(ids)} refunds paid by 2 workers in {elapsed:.2f} s")
    return len(ids) / elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2, help="processes per worker in the burst")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    admin_url, database_url = bench_database_url()
    recreate_database(admin_url)
    workers: list[subprocess.Popen] = []
    try:
        setup_django(database_url)
        from django.conf import settings

        from marketplace.celery import app
        from payments import checks

        settings.CELERY_TASK_DEFAULT_QUEUE = QUEUE
        app.conf.task_default_queue = QUEUE
        t0 = time.perf_counter()
        cases = prepare(args.idle + args.burst)
        print(f"prepared {len(cases)} paid orders in {time.perf_counter() - t0:.1f} s")

        workers.append(start_worker("idle", 1, database_url))
        request(*cases[0])  # warm the worker (imports, connections) before timing
        time.sleep(1)
        latencies = idle_latencies(cases[1 : args.idle])
        p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
        print(f"idle: {len(latencies)} refunds, p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(latencies):.0f} ms")

        support.stop_worker(workers.pop())
        # The burst lands on the queue first (as a flood of requests would), then the 2 workers drain it.
        ids = submit_burst(cases[args.idle :])
        workers += [start_worker(f"burst{i}", args.concurrency, database_url) for i in range(2)]
        rate = drain(ids, time.perf_counter())

        problems = checks.run_all()
        for problem in problems[:20]:
            print(f"ledger problem: {problem.check}: {problem.message}")
        ledger = "clean" if not problems else f"{len(problems)}_problems"
        print(
            f"refunds idle_p50_ms={p50:.0f} idle_p99_ms={p99:.0f} burst={args.burst} "
            f"burst_refunds_per_s={rate:.0f} ledger={ledger}"
        )
        return 0 if not problems else 1
    finally:
        for worker in workers:
            support.stop_worker(worker)
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(admin_url)


if __name__ == "__main__":
    sys.exit(main())
