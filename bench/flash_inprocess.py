"""In-process cost of a flash-sale buy against the hello-world view, same process and client (no HTTP, no server).

    .venv/bin/python bench/flash_inprocess.py [--buyers 600] [--stock 200] [--rounds 3] [--profile]

Django's test client with real token authentication sends the same buy-now as bench/flash_sale.py (one new
idempotency key per buyer, the flash sale armed with ``--stock`` units so both admitted and refused buyers are
timed) and GET /bench/hello/; the rounds interleave so drift of a shared machine falls on both. Prints ms per
request (wall clock, and CPU time of this process: waits for Redis and PostgreSQL excluded), the SQL queries per
buy and the ratios hello/buy (the answer-rate ratio if HTTP and the server loop cost nothing). No writer is started: the tickets are left in Redis and the sale is disarmed at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ["BENCH_HELLO"] = "1"
from bench import support  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=600)
    parser.add_argument("--stock", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the buys of the last round")
    args = parser.parse_args()
    if not (1 <= args.buyers <= 5000 and 1 <= args.rounds <= 10):
        parser.error("keep it bounded: buyers <= 5000, rounds <= 10")
    support.ready_database()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.flash_sale import prepare
    from orders import flash, flash_orders

    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 409 per refused buyer is no news here
    flash_orders.schedule_writer = lambda sku_id: None  # no task: nothing here writes the tickets
    sku_id, buyers = prepare(args.buyers, args.stock)
    client = Client()
    path = f"/api/v1/flash/{sku_id}/buy/"
    share = len(buyers) // args.rounds

    def buy(token: str, address_id: int) -> int:
        body = json.dumps({"idempotency_key": uuid.uuid4().hex, "address": address_id})
        return client.post(path, body, "application/json", HTTP_AUTHORIZATION=f"Token {token}").status_code

    # Warm both paths (URL resolvers, token and user caches, the script's SHA) on a throwaway sale.
    flash.disarm(sku_id)
    flash.arm(sku_id)
    for token, address_id in buyers:
        buy(token, address_id)
        client.get("/bench/hello/")
    flash.disarm(sku_id)
    flash.client().delete(flash.key(sku_id, "tickets"), flash.key(sku_id, "pending"), flash.key(sku_id, "seen"))
    flash.arm(sku_id)

    hello_s = buy_s = hello_cpu = buy_cpu = 0.0
    statuses: dict[int, int] = {}
    queries = 0
    profiler = cProfile.Profile()
    try:
        for round_index in range(args.rounds):
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(share):
                client.get("/bench/hello/")
            hello_s += time.perf_counter() - started
            hello_cpu += time.process_time() - cpu
            last = args.profile and round_index == args.rounds - 1
            with CaptureQueriesContext(connection) as captured:
                if last:
                    profiler.enable()
                started, cpu = time.perf_counter(), time.process_time()
                for token, address_id in buyers[round_index * share : (round_index + 1) * share]:
                    code = buy(token, address_id)
                    statuses[code] = statuses.get(code, 0) + 1
                buy_s += time.perf_counter() - started
                buy_cpu += time.process_time() - cpu
                if last:
                    profiler.disable()
            queries += len(captured.captured_queries)
    finally:
        flash.disarm(sku_id)
        flash.client().delete(flash.key(sku_id, "tickets"), flash.key(sku_id, "pending"), flash.key(sku_id, "seen"))
        flash.disarm(sku_id)
    count = share * args.rounds
    hello_ms, buy_ms = hello_s / count * 1000, buy_s / count * 1000
    hello_cpu_ms, buy_cpu_ms = hello_cpu / count * 1000, buy_cpu / count * 1000
    if args.profile:
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(40)
    print(f"answers by status: {dict(sorted(statuses.items()))}")
    print(
        f"flash_inprocess buys={count} hello_ms={hello_ms:.3f} buy_ms={buy_ms:.3f} "
        f"queries_per_buy={queries / count:.2f} cost_ratio={hello_ms / buy_ms:.3f} "
        f"hello_cpu_ms={hello_cpu_ms:.3f} buy_cpu_ms={buy_cpu_ms:.3f} cpu_ratio={hello_cpu_ms / buy_cpu_ms:.3f}"
    )
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
