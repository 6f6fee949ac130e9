"""Flash-sale benchmark: many buyers, one SKU, over HTTP against uvicorn workers on the dev stack.

    .venv/bin/python bench/flash_sale.py [--attempts 2000] [--stock 500] [--workers 2] [--concurrency 16]
                                         [--rounds 4] [--mode tickets|checkout|postgres]

1. Prepares (idempotently) a bench store with one SKU, ``--attempts`` buyers with API tokens and addresses, and
   resets the SKU's warehouse stock to ``--stock``.
2. Starts uvicorn (``--workers`` processes) on a free loopback port and ``--concurrency`` client processes (each
   a keep-alive connection per burst; the same processes send every burst below). Before the sale (tickets mode)
   every buyer opens it once (GET /api/v1/flash/<sku>/: units left and their addresses), as shoppers wait on the
   sale's page for it to start. Then one buy-now per buyer:
   - ``tickets`` (default): POST /api/v1/flash/<sku>/buy/ with the SKU's flash sale armed. Redis admits or refuses
     each buyer in one atomic Lua script and queues a ticket; a real Celery worker (started here, on a queue of its
     own) writes the orders in batches behind it (orders.flash_orders). The sale ends when the last order row is
     written.
   - ``checkout``: POST /api/v1/checkout/ with the flash sale armed (Redis refuses late buyers; each admitted buyer
     runs the whole checkout on the request).
   - ``postgres``: POST /api/v1/checkout/ with no Redis in front (for comparison).
   The buyers are split into ``--rounds`` bursts, each paired with a burst of as many GET /bench/hello/ (the full
   middleware stack and nothing else) from the same clients; the pair's order alternates and the writer's work
   is waited for before a hello burst, so drift in the machine's speed and the writer's load fall alike on both.
3. Counts what was sold from the database (order lines of this run), checks nothing was oversold, that
   sold + stock_left equals the starting stock and (Redis modes) that the counter reconciles with the database.

answers_per_s = buyers answered (admitted, refused or in error) / the time of the buy bursts; hello_per_s = hello
requests / the time of the hello bursts; answer_ratio = answers_per_s / hello_per_s (issue 22's goal: >= 0.8).
orders_per_s = units sold / the sale window (first buy request to the last order row written, database clock;
hello bursts between the first buy and the last order count in the window).
The last line is ``flash_sale attempts=A sold=S oversold=O stock_left=L answers_per_s=X hello_per_s=H
answer_ratio=X/H orders_per_s=R``.
Bounded (fixed attempt count, timeouts) and loopback only; the uvicorn and worker processes are stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
from bench import support  # noqa: E402

QUEUE = f"bench-flash-{os.getpid()}"


def setup_django():
    support.ready_database()


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


# --- the buyers ------------------------------------------------------------------------------------------------


def burst(pool, function, shares: list[tuple]) -> tuple[float, list]:
    """Runs ``function`` on every share in the client pool; (seconds, results)."""
    started = time.monotonic()
    results = pool.starmap(function, shares)
    return time.monotonic() - started, results


def buy_shares(port: int, sku_id: int, buyers: list[tuple[str, int]], concurrency: int, mode: str) -> list[tuple]:
    """One share of the buyers per client, their requests encoded before the clock starts (a client's own work
    should not weigh on the server it shares the cores with more than a hello request does)."""
    path = f"/api/v1/flash/{sku_id}/buy/" if mode == "tickets" else "/api/v1/checkout/"
    requests = []
    for token, address_id in buyers:
        body = {"idempotency_key": uuid.uuid4().hex, "address": address_id}
        if mode != "tickets":
            body["items"] = [{"sku": sku_id, "quantity": 1}]
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Host": "127.0.0.1"}
        requests.append((json.dumps(body).encode(), headers))
    shares = [requests[index::concurrency] for index in range(concurrency)]
    return [(port, path, share) for share in shares if share]


def count_outcomes(results: list[dict[str, int]], outcomes: dict[str, int]) -> None:
    for result in results:
        for key, count in result.items():
            outcomes[key] = outcomes.get(key, 0) + count


def buy_all(port: int, path: str, requests: list[tuple[bytes, dict]]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for body, headers in requests:
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            answer = response.read()
            key = {201: "created", 202: "admitted"}.get(response.status)
            key = key or f"{response.status}:{json.loads(answer).get('code', '?')}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            key = f"error:{type(exc).__name__}"
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        outcomes[key] = outcomes.get(key, 0) + 1
    connection.close()
    return outcomes


def open_sale_all(port: int, sku_id: int, buyers: list[tuple[str, int]]) -> int:
    """Each buyer opens the sale before it starts (their token and addresses are then known); returns failures."""
    failures = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for token, _address_id in buyers:
        connection.request("GET", f"/api/v1/flash/{sku_id}/", headers={"Authorization": f"Token {token}",
                                                                        "Host": "127.0.0.1"})  # fmt: skip
        response = connection.getresponse()
        response.read()
        failures += response.status != 200
    connection.close()
    return failures


def get_all(port: int, path: str, count: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(count):
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
    connection.close()
    return count


def wait_for_writer(sku_id: int, timeout: float = 300) -> None:
    from orders import flash

    deadline = time.monotonic() + timeout
    while flash.queued_tickets(sku_id):
        if time.monotonic() > deadline:
            raise RuntimeError(f"tickets still queued after {timeout} s; see .devdata/bench-flash-writer.log")
        time.sleep(0.02)


# --- main ------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--stock", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn processes")
    parser.add_argument("--concurrency", type=int, default=16, help="client processes")
    parser.add_argument("--rounds", type=int, default=4, help="buy bursts, each paired with a hello burst")
    parser.add_argument("--mode", choices=["tickets", "checkout", "postgres"], default="tickets")
    args = parser.parse_args()
    if not (1 <= args.attempts <= 20000 and 1 <= args.stock <= 100000 and 1 <= args.workers <= 16):
        parser.error("keep it bounded: attempts <= 20000, stock <= 100000, workers <= 16")
    if not 1 <= args.rounds <= min(20, args.attempts):
        parser.error("--rounds between 1 and min(20, attempts)")

    setup_django()
    from django.conf import settings
    from django.db import connections
    from django.db.models import Max, Sum
    from django.utils import timezone

    from marketplace.celery import app
    from orders import flash
    from orders.models import OrderLine
    from shops.models import StockLevel

    settings.CELERY_TASK_DEFAULT_QUEUE = app.conf.task_default_queue = QUEUE
    sku_id, buyers = prepare(args.attempts, args.stock)
    flash.disarm(sku_id)
    if args.mode != "postgres":
        flash.arm(sku_id)
    modes = {
        "tickets": "Redis admission + tickets, orders written in batches by a Celery worker",
        "checkout": "Redis admission (Lua check-and-decrement) in front of the full checkout",
        "postgres": "PostgreSQL only",
    }
    print(f"prepared sku {sku_id} with stock {args.stock} and {len(buyers)} buyers; {modes[args.mode]}", flush=True)
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    port = support.free_port()
    server = support.start_app_server(port, args.workers, "flash_sale_server", {"CELERY_QUEUE": QUEUE})
    writer = support.start_worker("bench-flash-writer", 1, QUEUE, {"DB_CONN_MAX_AGE": "60"})
    outcomes: dict[str, int] = {}
    buy_seconds = hello_seconds = 0.0
    hello_requests = 0
    try:
        support.wait_for_hello(port)
        connections.close_all()  # the client processes are forked: no database socket to share with them
        with multiprocessing.Pool(args.concurrency) as pool:
            warm = [(port, "/bench/hello/", 20)] * args.concurrency  # every server thread and client connection
            burst(pool, get_all, warm)
            if args.mode == "tickets":
                _seconds, failures = burst(pool, open_sale_all, [(port, sku_id, buyers[i :: args.concurrency])
                                                                 for i in range(args.concurrency)])  # fmt: skip
                if sum(failures):
                    print(f"WARNING: {sum(failures)} buyers could not open the sale before it started")
            rounds = [buyers[index :: args.rounds] for index in range(args.rounds)]
            run_started = timezone.now()
            for index, round_buyers in enumerate(rounds):
                per_client = max(1, len(round_buyers) // args.concurrency)
                hello_shares = [(port, "/bench/hello/", per_client)] * args.concurrency
                buy_first = index % 2 == 0
                if not buy_first:
                    hello_round, counts = burst(pool, get_all, hello_shares)
                shares = buy_shares(port, sku_id, round_buyers, args.concurrency, args.mode)
                buy_round, results = burst(pool, buy_all, shares)
                buy_seconds += buy_round
                count_outcomes(results, outcomes)
                if args.mode == "tickets":
                    wait_for_writer(sku_id)  # the writer's work falls on neither burst's clock
                if buy_first:
                    hello_round, counts = burst(pool, get_all, hello_shares)
                hello_seconds, hello_requests = hello_seconds + hello_round, hello_requests + sum(counts)
                print(f"round {index + 1}: buys {len(round_buyers) / buy_round:.1f}/s, "
                      f"hello {sum(counts) / hello_round:.1f}/s", flush=True)  # fmt: skip
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    finally:
        support.stop_app_server(server)
        support.stop_worker(writer)
    lines = OrderLine.objects.filter(sku_id=sku_id, suborder__order__created_at__gte=run_started)
    totals = lines.aggregate(sold=Sum("quantity"), last=Max("suborder__order__created_at"))
    sold = totals["sold"] or 0
    sale_window = (totals["last"] - run_started).total_seconds() if totals["last"] else 0.0
    stock_left = StockLevel.objects.filter(sku_id=sku_id).aggregate(total=Sum("quantity"))["total"] or 0
    oversold = max(0, sold - args.stock)
    answers_per_s = args.attempts / buy_seconds
    hello_per_s = hello_requests / hello_seconds
    orders_per_s = sold / sale_window if sale_window > 0 else 0.0
    print(f"outcomes: {dict(sorted(outcomes.items()))}", flush=True)
    print(f"buy bursts: {buy_seconds:.2f}s for {args.attempts} attempts ({answers_per_s:.1f} answers/s)")
    print(f"hello bursts, same server and clients: {hello_seconds:.2f}s for {hello_requests} ({hello_per_s:.1f} req/s)")
    print(f"sale window (first request to the last order row written): {sale_window:.2f}s")
    if sold + stock_left != args.stock:
        print(f"MISMATCH: sold {sold} + stock_left {stock_left} != {args.stock}")
    agreed = True
    if args.mode != "postgres":
        check = flash.reconcile(sku_id)
        agreed = check.agrees
        print(f"reconcile: redis={check.redis_units} database={check.database_units} agree={check.agrees}")
        flash.disarm(sku_id)
    print(
        f"flash_sale attempts={args.attempts} sold={sold} oversold={oversold} stock_left={stock_left} "
        f"answers_per_s={answers_per_s:.1f} hello_per_s={hello_per_s:.1f} "
        f"answer_ratio={answers_per_s / hello_per_s:.3f} orders_per_s={orders_per_s:.1f}"
    )
    return 0 if oversold == 0 and sold + stock_left == args.stock and agreed else 1


if __name__ == "__main__":
    sys.exit(main())
