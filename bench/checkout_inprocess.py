"""In-process checkout vs insert: the time of one checkout request over the time of one /bench/insert/ request,
both through Django's test client in the same process, alternating (a loaded machine slows both alike), and the
SQL statements of the last checkout request (authentication, cart, place_order and the answer).

    .venv/bin/python bench/checkout_inprocess.py [--orders 20] [--profile 25]

Uses bench/checkout.py's preparation (three stores, six SKUs, the cross-store campaign, a fresh coupon per shopper)
and its bench-only insert table. Prints the median milliseconds of each and their ratio (insert ms / checkout ms:
what orders_per_s / insert_per_s would be if the server did nothing else); ``--profile N`` prints the N costliest
functions (cumulative) of cProfile over the checkouts.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after the set-up, as a server may")
    parser.add_argument("--profile-file", default="", help="also write the cProfile data there (pstats format)")
    args = parser.parse_args()

    support.ready_database()
    import cProfile
    import gc
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench import checkout as bench

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    _skus, buyers, _spares = bench.prepare(args.orders + 2)
    bench.create_insert_table()
    client = Client()
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    checkout_ms, insert_ms = [], []
    profiler = cProfile.Profile() if args.profile else None
    try:
        for index, (token, address_id) in enumerate(buyers):
            headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
            body = {"idempotency_key": uuid.uuid4().hex, "address": address_id}
            started = time.perf_counter()
            if profiler and index >= 2:
                profiler.enable()
            statements = []

            def counted(execute, sql, *rest, statements=statements):
                statements.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(counted):
                answer = client.post("/api/v1/checkout/", body, content_type="application/json", **headers)
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
            if answer.status_code != 201:
                raise RuntimeError(f"checkout answered {answer.status_code}: {answer.content[:300]!r}")
            started = time.perf_counter()
            inserted = client.post("/bench/insert/", "x", content_type="text/plain")
            insert_elapsed = time.perf_counter() - started
            if inserted.status_code != 201:
                raise RuntimeError(f"insert answered {inserted.status_code}")
            if index >= 2:  # the first ones warm the process up (lazy imports, first caches)
                checkout_ms.append(elapsed * 1000)
                insert_ms.append(insert_elapsed * 1000)
    finally:
        bench.drop_insert_table()
    checkout_median, insert_median = statistics.median(checkout_ms), statistics.median(insert_ms)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        if args.profile_file:
            profiler.dump_stats(args.profile_file)
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        f"checkout_inprocess checkouts={len(checkout_ms)} checkout_ms={checkout_median:.1f} "
        f"insert_ms={insert_median:.2f} ratio={insert_median / checkout_median:.3f} "
        f"queries_per_request={len(statements)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
