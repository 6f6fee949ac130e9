"""Flash-sale benchmark: many buyers, one SKU, over HTTP against uvicorn workers on the dev stack.

    .venv/bin/python bench/flash_sale.py [--attempts 2000] [--stock 500] [--workers 4] [--concurrency 64]

1. Prepares (idempotently) a bench store with one SKU, ``--attempts`` buyers with API tokens and addresses, and
   resets the SKU's warehouse stock to ``--stock``.
2. Starts uvicorn (``--workers`` processes) on a free loopback port and fires one "buy now" checkout per buyer
   (POST /api/v1/checkout/ with items=[{sku, quantity: 1}]) with at most ``--concurrency`` in flight.
3. Counts what was sold from the database (order lines of this run), checks nothing was oversold and that
   sold + stock_left equals the starting stock.
   By default the SKU's flash sale is armed (orders.flash): buyers are admitted by an atomic Redis Lua
   check-and-decrement before any stock query, so late buyers are refused without touching PostgreSQL; at the end
   the counter is reconciled against the database (they must agree). ``--no-redis`` measures without it.
4. Measures the raw PostgreSQL hot-row rate on the same database: ``--workers`` connections running
   ``UPDATE ... SET quantity = quantity - 1 WHERE id = 1 AND quantity >= 1`` (autocommit) for a few seconds.

orders_per_s = orders created / the sale window (first request to the last order created).
The last line is ``flash_sale attempts=A sold=S oversold=O stock_left=L orders_per_s=R db_hot_row_tps=T ratio=R/T``.
Bounded (fixed attempt count, timeouts) and loopback only; the uvicorn processes are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")


def setup_django():
    from marketplace import devstack

    devstack.up()
    import django

    django.setup()


# --- preparation -----------------------------------------------------------------------------------------------


def prepare(attempts: int, stock: int) -> tuple[int, list[tuple[str, int]]]:
    """(sku id, [(token, address id)]) with the SKU's warehouse stock reset to ``stock``."""
    from decimal import Decimal

    from rest_framework.authtoken.models import Token

    from accounts.models import Address, User
    from shops.models import SKU, Category, Merchant, Product, StockLevel, StockPool, Store

    owner, _ = User.objects.get_or_create(username="flash-bench-merchant")
    merchant, _ = Merchant.objects.get_or_create(name="Flash Bench Merchant", defaults={"owner": owner})
    store, _ = Store.objects.get_or_create(
        slug="flash-bench",
        defaults={"merchant": merchant, "name": "闪购压测店 Flash bench", "brand": "TAOBAO", "status": "open"},
    )
    category = Category.objects.filter(parent__isnull=True).first() or Category.objects.create(
        name="压测", name_en="Bench", slug="bench"
    )
    product, _ = Product.objects.get_or_create(
        store=store, title="闪购压测商品", defaults={"category": category, "title_en": "Flash sale item"}
    )
    sku, _ = SKU.objects.get_or_create(product=product, code="FLASH-1", defaults={"price": Decimal("9.90")})
    level, _ = StockLevel.objects.get_or_create(sku=sku, outlet=None, pool=StockPool.ONLINE)
    StockLevel.objects.filter(pk=level.pk).update(quantity=stock)

    names = [f"flash-buyer-{i:05d}" for i in range(attempts)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([User(username=name, password="!") for name in names if name not in existing])
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    have_token = set(Token.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    Token.objects.bulk_create(
        [Token(user=u, key=Token.generate_key()) for u in users.values() if u.pk not in have_token]
    )
    have_address = set(Address.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    Address.objects.bulk_create(
        [
            Address(
                user=u,
                recipient="压测",
                phone="13800000000",
                province="浙江",
                city="杭州",
                detail="1 号",
                is_default=True,
            )
            for u in users.values()
            if u.pk not in have_address
        ]
    )
    tokens = dict(Token.objects.filter(user__in=users.values()).values_list("user__username", "key"))
    addresses = dict(
        Address.objects.filter(user__in=users.values(), is_default=True).values_list("user__username", "pk")
    )
    return sku.pk, [(tokens[name], addresses[name]) for name in names]


# --- the server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, interface: str) -> subprocess.Popen:
    """uvicorn serving the Django app: ``asgi`` (as `make run`: sync views share one thread per process) or
    ``wsgi`` (each process runs requests on a thread pool, so one request's database waits overlap another's)."""
    from marketplace import devstack

    env = {**os.environ, **devstack.environment(), "DEVSTACK_AUTOSTART": "0", "DEBUG": "1", "LOG_LEVEL": "ERROR"}
    command = [
        sys.executable, "-m", "uvicorn", f"marketplace.{interface}:application", "--interface", "asgi3" if interface == "asgi" else "wsgi",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    log = (BASE_DIR / ".devdata" / "flash_sale_server.log").open("ab")  # 4xx warnings of the server go here
    return subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True, stdout=log, stderr=log)


def wait_until_up(port: int, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/schema/", timeout=5)  # any answer: the workers are serving
            return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("uvicorn did not come up")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the buyers ------------------------------------------------------------------------------------------------


async def fire(port: int, sku_id: int, buyers: list[tuple[str, int]], concurrency: int) -> tuple[dict, float]:
    """Outcome counts, and the monotonic time the last order was created (the end of the sale)."""
    import httpx

    outcomes: dict[str, int] = {}
    last_sale = [0.0]
    limit = asyncio.Semaphore(concurrency)
    url = f"http://127.0.0.1:{port}/api/v1/checkout/"

    async def buy(client: httpx.AsyncClient, token: str, address_id: int) -> None:
        body = {"idempotency_key": uuid.uuid4().hex, "address": address_id, "items": [{"sku": sku_id, "quantity": 1}]}
        async with limit:
            try:
                response = await client.post(url, json=body, headers={"Authorization": f"Token {token}"})
                if response.status_code == 201:
                    key = "created"
                    last_sale[0] = time.monotonic()
                else:
                    key = f"{response.status_code}:{response.json().get('code', '?')}"
            except (httpx.HTTPError, ValueError) as exc:
                key = f"error:{type(exc).__name__}"
        outcomes[key] = outcomes.get(key, 0) + 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(buy(client, token, address) for token, address in buyers))
    return outcomes, last_sale[0]


# --- the raw database rate -------------------------------------------------------------------------------------


def hot_row_tps(connections: int, seconds: float) -> float:
    """Conditional decrements of one row per second, ``connections`` sessions in parallel, autocommit."""
    from django.db import connection

    table = f"bench_hot_row_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE {table} (id int PRIMARY KEY, quantity int NOT NULL CHECK (quantity >= 0))"
        )
        cursor.execute(f"INSERT INTO {table} VALUES (1, 1000000000)")
    counts = [0] * connections
    barrier = threading.Barrier(connections + 1)
    stop_at = [0.0]

    def hammer(index: int) -> None:
        from django.db import connection as own  # thread-local: each thread has its own session

        try:
            with own.cursor() as cursor:
                cursor.execute("SELECT 1")
                barrier.wait()
                while time.monotonic() < stop_at[0]:
                    cursor.execute(f"UPDATE {table} SET quantity = quantity - 1 WHERE id = 1 AND quantity >= 1")
                    counts[index] += 1
        finally:
            own.close()

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    started = time.monotonic()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
    return sum(counts) / elapsed


# --- main ------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--stock", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--db-seconds", type=float, default=3.0)
    parser.add_argument("--interface", choices=["asgi", "wsgi"], default="wsgi")
    parser.add_argument(
        "--no-redis", action="store_true", help="no Redis admission: every attempt goes to PostgreSQL (for comparison)"
    )
    args = parser.parse_args()
    if not (1 <= args.attempts <= 20000 and 1 <= args.stock <= 100000 and 1 <= args.workers <= 16):
        parser.error("keep it bounded: attempts <= 20000, stock <= 100000, workers <= 16")

    setup_django()
    from django.db.models import Sum
    from django.utils import timezone

    from orders import flash
    from orders.models import OrderLine
    from shops.models import StockLevel

    sku_id, buyers = prepare(args.attempts, args.stock)
    flash.disarm(sku_id)
    if not args.no_redis:
        flash.arm(sku_id)
    mode = "PostgreSQL only" if args.no_redis else "Redis admission (Lua check-and-decrement) in front of PostgreSQL"
    print(f"prepared sku {sku_id} with stock {args.stock} and {len(buyers)} buyers; {mode}", flush=True)
    port = free_port()
    server = start_server(port, args.workers, args.interface)
    try:
        wait_until_up(port)
        run_started = timezone.now()
        started = time.monotonic()
        outcomes, last_sale = asyncio.run(fire(port, sku_id, buyers, args.concurrency))
        elapsed = time.monotonic() - started
        sale_window = (last_sale or time.monotonic()) - started
    finally:
        stop_server(server)
    sold = (
        OrderLine.objects.filter(sku_id=sku_id, suborder__order__created_at__gte=run_started).aggregate(
            total=Sum("quantity")
        )["total"]
        or 0
    )
    stock_left = StockLevel.objects.filter(sku_id=sku_id).aggregate(total=Sum("quantity"))["total"] or 0
    oversold = max(0, sold - args.stock)
    print(f"outcomes: {dict(sorted(outcomes.items()))}", flush=True)
    print(f"http phase: {elapsed:.2f}s for {args.attempts} attempts ({args.attempts / elapsed:.1f} attempts/s)")
    print(f"sale window (first request to last order created): {sale_window:.2f}s")
    if sold + stock_left != args.stock:
        print(f"MISMATCH: sold {sold} + stock_left {stock_left} != {args.stock}")
    agreed = True
    if not args.no_redis:
        check = flash.reconcile(sku_id)
        agreed = check.agrees
        print(f"reconcile: redis={check.redis_units} database={check.database_units} agree={check.agrees}")
        flash.disarm(sku_id)
    db_tps = hot_row_tps(args.workers, args.db_seconds)
    orders_per_s = sold / sale_window if sale_window > 0 else 0.0
    ratio = orders_per_s / db_tps if db_tps else 0.0
    print(
        f"flash_sale attempts={args.attempts} sold={sold} oversold={oversold} stock_left={stock_left} "
        f"orders_per_s={orders_per_s:.1f} db_hot_row_tps={db_tps:.1f} ratio={ratio:.3f}"
    )
    return 0 if oversold == 0 and sold + stock_left == args.stock and agreed else 1


if __name__ == "__main__":
    sys.exit(main())
