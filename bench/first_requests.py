"""First requests of a fresh server process, and saving a product with 3 SKUs.

    .venv/bin/python bench/first_requests.py [--products 2000] [--requests 100]

1. Prepares the storefront benchmark's database (bench_marketplace, see bench/storefront.py: migrated, demo seed,
   topped up to --products) and starts one Celery worker on a queue of its own (it indexes saved products).
2. Starts ONE fresh uvicorn process (one worker: every "first" is the first of that process) and waits for
   /healthz, as a load balancer would.
3. Times the first and the --requests-th search, product page and API call, each request a different, never-seen
   one (distinct queries, distinct products), so every answer is rendered, never served from the page cache. The
   searches cycle through storefront.SEARCH_QUERIES, so the first search is also compared with the later searches of
   its own word (words differ in cost more than a warm process differs from a cold one).
4. Saves a product with 3 SKUs through the workbench form (/seller/products/new/) and through the API
   (POST /api/v1/seller/stores/<id>/products/) as the demo merchant, then waits until search finds the form's
   product (the worker indexes it after the commit): index_lag_ms.

Last line: first_requests search_first_ms=.. search_100th_ms=.. page_first_ms=.. page_100th_ms=.. api_first_ms=..
api_100th_ms=.. product_save_ms=.. (product_save_ms: the workbench form, the first save of the process).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from bench import storefront, support  # noqa: E402

QUEUE = f"bench-first-{os.getpid()}"
WORDS = storefront.SEARCH_QUERIES


def fresh_server(database_url: str) -> tuple[subprocess.Popen, int]:
    port = support.free_port()
    log = (BASE_DIR / ".devdata" / "bench-first-uvicorn.log").open("w")
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "marketplace.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
        env=storefront.bench_env(database_url, CELERY_QUEUE=QUEUE), cwd=BASE_DIR, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                print(f"server answered /healthz {time.monotonic() - started:.1f}s after start", flush=True)
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("server did not start; see .devdata/bench-first-uvicorn.log")


class Browser:
    """One keep-alive connection with a cookie jar."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None):
        self.port, self.cookies, self.headers = port, dict(cookies or {}), headers or {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = {"Host": "127.0.0.1", **self.headers, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        return response.status, content, elapsed, response


def timed(browser: Browser, path: str, expected: int = 200) -> float:
    status, _content, elapsed, _response = browser.request("GET", path)
    if status != expected:
        raise RuntimeError(f"GET {path}: {status}")
    return elapsed


def merchant_credentials(database_url: str) -> dict:
    """A session and an API token for the demo merchant, and the id of its first store and of a subcategory."""
    code = (
        "import json\n"
        "from django.conf import settings\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from rest_framework.authtoken.models import Token\n"
        "from accounts.models import User\n"
        "from shops.models import Category, StoreStaff\n"
        "user = User.objects.get(username='merchant')\n"
        "session = SessionStore()\n"
        "session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),"
        " BACKEND_SESSION_KEY: 'accounts.backends.CachedModelBackend'})\n"
        "session.create()\n"
        "store_id = StoreStaff.objects.filter(user=user).order_by('store_id').values_list('store_id', flat=True)[0]\n"
        "category, slug = Category.objects.filter(parent__isnull=False).order_by('id').values_list('id', 'slug')[0]\n"
        "print(json.dumps({'session': session.session_key, 'token': Token.objects.get_or_create(user=user)[0].key,"
        " 'store_id': store_id, 'category': category, 'category_slug': slug}))\n"
    )
    output = storefront.run([sys.executable, "manage.py", "shell", "-c", code], storefront.bench_env(database_url),
                            capture=True)  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def three_skus(tag: str) -> list[dict]:
    return [
        {"code": f"{tag}-{size}", "attributes": {"尺码": size}, "price": price, "stock": 20}
        for size, price in (("S", "99.00"), ("M", "109.00"), ("L", "119.00"))
    ]


def save_in_workbench(port: int, credentials: dict, title: str, tag: str) -> tuple[float, int]:
    """The new-product form with 3 SKUs; (milliseconds of the POST, the new product's id)."""
    browser = Browser(port, {"sessionid": credentials["session"]})
    status, page, _elapsed, _response = browser.request("GET", "/seller/products/new/")
    if status != 200:
        raise RuntimeError(f"GET /seller/products/new/: {status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = {"csrfmiddlewaretoken": token, "title": title, "title_en": f"Bench {tag}", "category": credentials["category"],
            "description": f"{title}，首次保存的计时。", "status": "active",
            "sku-TOTAL_FORMS": "3", "sku-INITIAL_FORMS": "0", "sku-MIN_NUM_FORMS": "0", "sku-MAX_NUM_FORMS": "50"}  # fmt: skip
    for row, sku in enumerate(three_skus(tag)):
        form |= {f"sku-{row}-code": sku["code"], f"sku-{row}-price": sku["price"], f"sku-{row}-stock": sku["stock"],
                 f"sku-{row}-attributes": "; ".join(f"{k}={v}" for k, v in sku["attributes"].items()),
                 f"sku-{row}-is_active": "on"}  # fmt: skip
    status, _content, elapsed, response = browser.request(
        "POST", "/seller/products/new/", urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/seller/products/new/"},
    )  # fmt: skip
    location = response.getheader("Location") or ""
    if status != 302 or not re.search(r"/seller/products/(\d+)/", location):
        raise RuntimeError(f"workbench save answered {status} {location}")
    return elapsed, int(re.search(r"/seller/products/(\d+)/", location).group(1))


def save_by_api(port: int, credentials: dict, title: str, tag: str) -> float:
    browser = Browser(port, headers={"Authorization": f"Token {credentials['token']}"})
    body = json.dumps({"title": title, "title_en": f"Bench {tag}", "category": credentials["category_slug"],
                       "description": f"{title}，API 保存。", "skus": three_skus(tag)}).encode()  # fmt: skip
    status, content, elapsed, _response = browser.request(
        "POST", f"/api/v1/seller/stores/{credentials['store_id']}/products/", body,
        {"Content-Type": "application/json"},
    )  # fmt: skip
    if status != 201:
        raise RuntimeError(f"API save answered {status}: {content[:300]!r}")
    return elapsed


def index_lag(port: int, title: str, product_id: int, started: float, timeout: float = 60) -> float:
    """Milliseconds from `started` until a search for the title lists the product."""
    browser = Browser(port)
    n = 0
    while time.perf_counter() - started < timeout:
        n += 1
        _status, content, _elapsed, _response = browser.request("GET", f"/search/?q={quote(title)}&lag={n}")
        if f"/p/{product_id}/".encode() in content:
            return (time.perf_counter() - started) * 1000
        time.sleep(0.05)
    raise RuntimeError(f"search did not find product {product_id} within {timeout}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=100, help="the N-th request compared with the first")
    parser.add_argument("--database", default=storefront.BENCH_DB, help="database on the dev PostgreSQL")
    args = parser.parse_args()
    storefront.BENCH_DB = args.database

    database_url = storefront.prepare_database(args.products)
    credentials = merchant_credentials(database_url)
    paths = storefront.sample_paths(database_url)
    products = [int(path.strip("/").split("/")[1]) for path in paths["product page (cold)"]]
    if len(products) < args.requests * 2:
        raise SystemExit(f"need {args.requests * 2} products never shown; run with a larger --products")
    worker = support.start_worker("bench-first-worker", 1, QUEUE, {"DATABASE_URL": database_url,
                                                                    "CACHE_KEY_PREFIX": "bench"})  # fmt: skip
    server = None
    try:
        server, port = fresh_server(database_url)
        browser = Browser(port)
        api = Browser(port)
        nonce = os.getpid()
        times: dict[str, list[float]] = {"search": [], "page": [], "api": []}
        for n in range(args.requests):
            word = WORDS[n % len(WORDS)]
            times["search"].append(timed(browser, f"/search/?q={quote(word)}&n={nonce}-{n}"))
            times["page"].append(timed(browser, f"/p/{products[n]}/"))
            times["api"].append(timed(api, f"/api/v1/products/{products[args.requests + n]}/"))
        tag = f"B{nonce}"
        title = f"首存计时{nonce}"
        started = time.perf_counter()
        product_save_ms, product_id = save_in_workbench(port, credentials, title, tag)
        lag_ms = index_lag(port, title, product_id, started)
        api_save_ms = save_by_api(port, credentials, f"接口计时{nonce}", f"A{nonce}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        support.stop_worker(worker)
    for kind, values in times.items():
        rest = sorted(values[1:])
        print(f"{kind:<8} first {values[0]:8.1f} ms   {args.requests}th {values[-1]:7.1f} ms   "
              f"median of the rest {rest[len(rest) // 2]:7.1f} ms")  # fmt: skip
    # Searches differ in cost by word (the first word matches the most products): the first against its own word.
    same_word = sorted(times["search"][n] for n in range(len(WORDS), args.requests, len(WORDS)))
    if same_word:
        print(f"search   first {times['search'][0]:8.1f} ms   the same word later: median "
              f"{same_word[len(same_word) // 2]:7.1f} ms of {len(same_word)} ({WORDS[0]})")  # fmt: skip
    print(
        f"product save (3 SKUs): workbench form {product_save_ms:.1f} ms, API {api_save_ms:.1f} ms; "
        f"searchable {lag_ms:.0f} ms after the form was posted (indexed by the worker)"
    )
    print(f"first_requests search_first_ms={times['search'][0]:.1f} search_100th_ms={times['search'][-1]:.1f} "
          f"page_first_ms={times['page'][0]:.1f} page_100th_ms={times['page'][-1]:.1f} "
          f"api_first_ms={times['api'][0]:.1f} api_100th_ms={times['api'][-1]:.1f} "
          f"product_save_ms={product_save_ms:.1f} api_save_ms={api_save_ms:.1f} index_lag_ms={lag_ms:.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
