"""Storefront benchmark: product list and product page rates beside a hello-world view, and search p95.

    .venv/bin/python bench/storefront.py [--products 100000] [--workers 2] [--clients 8] [--seconds 12]
                                         [--rounds 3] [--shoppers 200]

1. Uses a separate database (bench_marketplace on the dev PostgreSQL), migrates it, seeds the shops demo data and
   tops the catalog up to --products with `manage.py generate_products` (COPY; kept between runs).
2. Serves the app with uvicorn --workers N (DEBUG=0, throwaway SECRET_KEY, SECURE_SSL_REDIRECT=0,
   ALLOWED_HOSTS=127.0.0.1, BENCH_HELLO=1) on a free loopback port.
3. Drives it with --clients keep-alive client processes for --seconds per scenario, bounded by time, the scenarios
   taking turns in --rounds rounds so that drift in the machine's speed falls on all of them alike (every page is
   requested once before the first round, except "product page (cold)": 3,000 never-seen pages, every request
   rendered from the database, measured last), and prints requests/s and p95 for /bench/hello/, the category listing, a product page, and the search page, as visitors
   without a session and, for list and product pages, as --shoppers signed-in shoppers (a random one per request).
   Both are served from the shared page cache with the visitor's own account menu and CSRF token put in; clients
   keep the cookies they are given (CSRF token, account menu), as a browser does.
4. Measures search p95 in-process (shops.selectors.catalog: count + first page) over Chinese and English queries.
5. "product page (1,000 reviews)": one product with 1,000 reviews (a third with photos, a fifth with a follow-up,
   half with the store's reply; bulk inserts, once per database), goal >= 0.60 of hello; and, apart, "its reviews
   section", what that page loads next over htmx (first page, photos filter, page 2), rendered on each request.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from bench import support  # noqa: E402

PYTHON = sys.executable
BENCH_DB = "bench_marketplace"
SEARCH_QUERIES = ["连衣裙", "dress", "蓝牙耳机", "bluetooth", "口红", "lipstick", "咖啡豆", "coffee", "台灯",
                  "夏季 连衣裙", "running shoes", "面霜", "laptop", "普洱茶", "jacket", "保温杯"]  # fmt: skip


SECRET = "bench-throwaway-" + os.urandom(8).hex()  # one per run: the server and the session maker must agree


def bench_env(database_url: str, **extra) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEVSTACK_AUTOSTART": "0",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(BASE_DIR / ".devdata" / "bench-static"),
        "CACHE_KEY_PREFIX": "bench",
        "BENCH_HELLO": "1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def prepare_database(products: int) -> str:
    from marketplace import devstack

    devstack.up()
    dev_url = devstack.environment()["DATABASE_URL"]
    parts = urlsplit(dev_url)
    bench_url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    import psycopg2

    connection = psycopg2.connect(dev_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {BENCH_DB}")
        # The production setting for PostgreSQL on SSD / a cached working set (docs/SEARCH.md): with the default 4.0
        # the planner prefers a sequential scan to the GIN bitmap for broad search terms and runs 10x slower.
        cursor.execute(f"ALTER DATABASE {BENCH_DB} SET random_page_cost = 1.1")
    connection.close()
    env = bench_env(bench_url)
    manage = [PYTHON, "manage.py"]
    run(manage + ["migrate", "--noinput", "--skip-checks", "-v", "0"], env)
    run(manage + ["collectstatic", "--noinput", "-v", "0", "--skip-checks"], env)
    run(manage + ["shell", "-c", "import sys; from django.db import transaction; from shops import demo;\n"
                  "with transaction.atomic(): demo.seed(sys.stdout)"], env)  # fmt: skip
    count = int(run(manage + ["shell", "-c", "from shops.models import Product; print(Product.objects.count())"],
                    env, capture=True).strip().splitlines()[-1])  # fmt: skip
    if count < products:
        print(f"generating {products - count} products (once; kept in {BENCH_DB})...", flush=True)
        run(manage + ["generate_products", str(products - count), "--skip-checks"], env)
    return bench_url


def run(command: list[str], env: dict, capture: bool = False) -> str:
    result = subprocess.run(command, env=env, cwd=BASE_DIR, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)  # fmt: skip
    return result.stdout or ""


def serve(database_url: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = support.free_port()
    log = (BASE_DIR / ".devdata" / "bench-uvicorn.log").open("w")
    server = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "marketplace.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
        env=bench_env(database_url), cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/hello/")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("server did not start; see .devdata/bench-uvicorn.log")


def shopper_cookies(database_url: str, shoppers: int) -> list[str]:
    """Session cookies of `shoppers` signed-in shoppers, one each (every request picks one at random)."""
    code = (
        "from django.conf import settings\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from accounts.models import User\n"
        f"for n in range({shoppers}):\n"
        "    user, _ = User.objects.get_or_create(username=f'bench-shopper-{n}', defaults={'password': '!'})\n"
        "    session = SessionStore()\n"
        "    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),"
        " BACKEND_SESSION_KEY: 'accounts.backends.CachedModelBackend'})\n"
        "    session.create()\n"
        "    print('sessionid=' + session.session_key)\n"
    )
    output = run([PYTHON, "manage.py", "shell", "-c", code], bench_env(database_url), capture=True)
    return [line for line in output.split() if line.startswith("sessionid=")]


def cookies_set_by(response: http.client.HTTPResponse) -> dict[str, str]:
    """name -> "name=value" for every cookie the response sets."""
    pairs = (header.split(";", 1)[0] for header in response.msg.get_all("Set-Cookie") or [])
    return {pair.split("=", 1)[0]: pair for pair in pairs}


def client(port: int, paths: list[str], seconds: float, seed: int, queue, sessions: list[str], jars: dict) -> None:
    """Requests random paths, as a random one of `sessions` (or a visitor without a session), keeping the cookies
    each visitor is given (CSRF token, account menu) in `jars`, as a browser does, and handing them back."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    visitors = sessions or [""]
    jars = {visitor: dict(jars.get(visitor, {})) for visitor in visitors}
    latencies, errors = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        path = paths[rng.randrange(len(paths))]
        visitor = visitors[rng.randrange(len(visitors))]
        cookie = "; ".join([visitor, *jars[visitor].values()] if visitor else jars[visitor].values())
        started = time.perf_counter()
        try:
            headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}
            if "/reviews/" in path:  # the page's sections are loaded by htmx, which says so
                headers["HX-Request"] = "true"
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
            jars[visitor].update(cookies_set_by(response))
        except (OSError, http.client.HTTPException):
            errors += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
    queue.put((latencies, errors, jars))


def load(port: int, paths: list[str], clients: int, seconds: float, sessions=None, jars=None) -> dict:
    """One timed run: the latencies of every request made and the errors. `jars` (visitor -> cookies) carries the
    visitors' cookies from one run to the next, as browsers keep them between visits."""
    jars = {} if jars is None else jars
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=client, args=(port, paths, seconds, n, queue, sessions or [], jars))
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    for _latencies, _errors, client_jars in results:
        for visitor, cookies in client_jars.items():
            jars.setdefault(visitor, {}).update(cookies)
    latencies = [latency for batch, _errors, _jars in results for latency in batch]
    return {"latencies": latencies, "errors": sum(errors for _batch, errors, _jars in results), "seconds": seconds}


def summary(runs: list[dict]) -> dict:
    latencies = sorted(latency for run in runs for latency in run["latencies"])
    return {
        "rps": len(latencies) / sum(run["seconds"] for run in runs),
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0,
        "errors": sum(run["errors"] for run in runs),
    }


def sample_paths(database_url: str) -> dict[str, list[str]]:
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT slug FROM shops_category ORDER BY id")
        categories = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM shops_product WHERE status = 'active' ORDER BY random() LIMIT 3500")
        products = [row[0] for row in cursor.fetchall()]
    connection.close()
    return {
        "hello": ["/bench/hello/"],
        "product list": [f"/c/{slug}/" for slug in categories]
        + [f"/c/{slug}/?sort=price_asc&page=2" for slug in categories],
        "product page": [f"/p/{pk}/" for pk in products[:500]],
        "search page": [f"/search/?q={quote(q)}" for q in SEARCH_QUERIES],
        # Never requested before: every request renders from the database (no cache can help).
        "product page (cold)": [f"/p/{pk}/" for pk in products[500:]],
    }


REVIEWED_PRODUCT = "BENCH-REVIEWS"  # the sub-order number that marks the bench's reviewed product


def seed_reviewed_product(reviews: int = 1_000) -> int:
    """Run inside Django (manage.py shell): one product of an open store with ``reviews`` reviews by 100 shoppers,
    with photos, follow-ups and replies, written with bulk inserts; kept between runs. Returns the product id."""
    import datetime
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from orders.models import Order, OrderLine, SubOrder
    from reviews.models import Review, ReviewPhoto
    from shops.models import SKU

    done = OrderLine.objects.filter(suborder__number=REVIEWED_PRODUCT).select_related("sku").first()
    if done is not None:
        return done.sku.product_id
    sku = (
        SKU.objects.filter(is_active=True, product__status="active", product__store__status="open")
        .select_related("product__store")
        .order_by("pk")
        .first()
    )
    product, store, now = sku.product, sku.product.store, timezone.now()
    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"bench-reviewer-{n}", password="!") for n in range(100)], ignore_conflicts=True
        )
        shoppers = list(User.objects.filter(username__startswith="bench-reviewer-").order_by("pk"))
        order = Order.objects.create(
            number=REVIEWED_PRODUCT, shopper=shoppers[0], idempotency_key=REVIEWED_PRODUCT, expires_at=now
        )
        suborder = SubOrder.objects.create(
            order=order, number=REVIEWED_PRODUCT, store=store, state=SubOrder.State.COMPLETED, paid_at=now,
            shipped_at=now, received_at=now,
        )  # fmt: skip
        price = Decimal(sku.price)
        lines = OrderLine.objects.bulk_create(
            OrderLine(suborder=suborder, sku=sku, title=product.title, quantity=1, unit_price=price, subtotal=price,
                      base=price, payable=price)
            for _ in range(reviews)
        )  # fmt: skip
        rows = Review.objects.bulk_create(
            Review(
                line=line, product=product, store=store, shopper=shoppers[n % len(shoppers)], rating=(5, 5, 4, 3, 1)[n % 5],
                text=f"第{n}条评价：质量不错，物流很快。Review {n}: good quality, fast delivery.",
                anonymous=n % 7 == 0, dsr_description=5 - n % 2, dsr_service=5, dsr_logistics=4 + n % 2,
                photo_count=2 if n % 3 == 0 else 0,
                followup_text="用了一个月，依然很好。" if n % 5 == 0 else "",
                followup_at=now - datetime.timedelta(hours=1) if n % 5 == 0 else None,
                reply_text="感谢亲的支持！" if n % 2 == 0 else "", reply_by=store.merchant.owner if n % 2 == 0 else None,
                reply_at=now if n % 2 == 0 else None,
            )
            for n, line in enumerate(lines)
        )  # fmt: skip
        ReviewPhoto.objects.bulk_create(
            ReviewPhoto(review=review, image=f"reviews/bench/{review.pk}-{k}.jpg", width=800, height=800, position=k)
            for review in rows
            if review.photo_count
            for k in range(review.photo_count)
        )
    return product.pk


def reviewed_product_paths(database_url: str) -> list[str]:
    code = "from bench.storefront import seed_reviewed_product; print(seed_reviewed_product())"
    output = run([PYTHON, "manage.py", "shell", "-c", code], bench_env(database_url), capture=True)
    pk = int(output.strip().splitlines()[-1])
    return [f"/p/{pk}/"]


def reviews_section_paths(page_paths: list[str]) -> list[str]:
    """What the product page loads next (htmx): its reviews section, first page, photos filter, page 2."""
    page = page_paths[0]
    return [f"{page}reviews/", f"{page}reviews/?show=photos", f"{page}reviews/?page=2"]


def visit_all(port: int, paths: list[str], clients: int) -> None:
    """Request every path once (split over `clients` processes): the steady state of a site with traffic."""
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=client_once, args=(port, paths[n::clients], queue)) for n in range(clients)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        queue.get()
    for process in processes:
        process.join()


def sign_in_visits(port: int, path: str, sessions: list[str], jars: dict) -> None:
    """Each shopper opens one page and keeps the cookies it is given (steady state: browsers that visited before)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for session in sessions:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": session})
        response = conn.getresponse()
        response.read()
        jars[session] = cookies_set_by(response)


def client_once(port: int, paths: list[str], queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        conn.getresponse().read()
    queue.put(True)


def search_p95(database_url: str, rounds: int = 5) -> str:
    """In-process: the search query itself (count + first page of 24), every query `rounds` times."""
    code = (
        "import time, statistics\n"
        "from shops.selectors import CatalogFilters, catalog_page\n"
        f"queries = {SEARCH_QUERIES!r}\n"
        "filters = [CatalogFilters(q=q) for q in queries] + [CatalogFilters(q=q, brand='TMALL') for q in queries]\n"
        "for f in filters: catalog_page(f)\n"
        "times = []\n"
        f"for _ in range({rounds}):\n"
        "    for f in filters:\n"
        "        t = time.perf_counter(); catalog_page(f); times.append((time.perf_counter() - t) * 1000)\n"
        "times.sort()\n"
        "print(f'search (in-process, uncached: page of 24 + total + cards): n={len(times)} "
        "p50={statistics.median(times):.1f} ms p95={times[int(len(times) * 0.95) - 1]:.1f} ms max={times[-1]:.1f} ms')\n"
    )
    return run([PYTHON, "manage.py", "shell", "-c", code], bench_env(database_url), capture=True).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=12, help="per scenario, over all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shoppers", type=int, default=200, help="signed-in shoppers (sessions) in the login runs")
    args = parser.parse_args()

    database_url = prepare_database(args.products)
    count = run([PYTHON, "manage.py", "shell", "-c", "from shops.models import Product; print(Product.objects.count())"],
                bench_env(database_url), capture=True).strip().splitlines()[-1]  # fmt: skip
    print(f"\ncatalog: {count} products; uvicorn workers={args.workers}; clients={args.clients}; "
          f"{args.seconds:.0f}s per scenario in {args.rounds} rounds; loopback only")  # fmt: skip
    sessions = shopper_cookies(database_url, args.shoppers)
    server, port = serve(database_url, args.workers)
    try:
        paths = sample_paths(database_url)
        paths["product page (1,000 reviews)"] = reviewed_product_paths(database_url)
        paths["its reviews section"] = reviews_section_paths(paths["product page (1,000 reviews)"])
        # Signed-in shoppers share the cached pages; each needs their own account menu and CSRF token.
        scenarios = [(name, scenario, None) for name, scenario in paths.items() if "cold" not in name] + [
            (f"{name} (login)", paths[name], sessions) for name in ("product list", "product page")
        ]
        for _name, scenario, _sessions in scenarios:
            visit_all(port, scenario, 4)  # warm: each page requested once, the steady state of a site with traffic
        # The machine may be shared and its speed drifts: the scenarios take turns, --rounds times over, so a slow
        # spell falls on all of them alike (hello included).
        runs: dict[str, list[dict]] = {name: [] for name, _scenario, _sessions in scenarios}
        jars: dict[str, dict[str, str]] = {}
        sign_in_visits(port, paths["product page"][0], sessions, jars)
        for _round in range(args.rounds):
            for name, scenario, visitors in scenarios:
                runs[name].append(load(port, scenario, args.clients, args.seconds / args.rounds, visitors, jars))
        runs["product page (cold)"] = [load(port, paths["product page (cold)"], args.clients, args.seconds)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = {name: summary(scenario_runs) for name, scenario_runs in runs.items()}
    hello = results["hello"]["rps"] or 1
    print(f"\n{'scenario':<22}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}{'vs hello':>10}")
    for name, result in results.items():
        print(f"{name:<22}{result['rps']:>10.1f}{result['p50']:>10.1f}{result['p95']:>10.1f}{result['errors']:>8}"
              f"{result['rps'] / hello:>10.2f}")  # fmt: skip
    print()
    print(search_p95(database_url))
    goal_pages = min(results["product list"]["rps"], results["product page"]["rps"]) / hello
    login_pages = min(results["product list (login)"]["rps"], results["product page (login)"]["rps"]) / hello
    print(f"goal: pages >= 0.60 of hello -> visitors without a session {goal_pages:.2f}, logged in {login_pages:.2f}")
    reviewed = results["product page (1,000 reviews)"]["rps"] / hello
    section = results["its reviews section"]["rps"] / hello
    print(
        f"goal: product page with 1,000 reviews >= 0.60 of hello -> {reviewed:.2f} (its reviews section {section:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
