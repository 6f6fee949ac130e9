"""Browser journeys: Debian's Chromium driven by Playwright against the real app.

The journeys are black-box. A session-wide database is migrated and loaded with the demo data; a uvicorn server
(HTTP + WebSockets) and a Celery worker run on it as subprocesses, exactly as `make run` does. A failing journey
leaves a screenshot and the page HTML in tests/e2e/artifacts/.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.conftest import BASE_DIR, RUN_ID

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
E2E_DB = f"e2e_marketplace_{RUN_ID}"
E2E_QUEUE = f"e2e-{RUN_ID}"
DEMO_PASSWORD = "demo-pass-2026"

# Playwright's sync API runs an event loop in this thread; the ORM is only used for read-only checks here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _admin_sql(statement: str) -> None:
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db.get("PASSWORD") or None, dbname="postgres"
    )
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def e2e_env():
    """A fresh database with migrations and demo data, and the environment of the processes that serve it."""
    _admin_sql(f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{E2E_DB}"')
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(E2E_DB),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": E2E_QUEUE,
        "CACHE_KEY_PREFIX": E2E_QUEUE,
        "CHANNEL_PREFIX": E2E_QUEUE,
        "DEVSTACK_AUTOSTART": "0",
        "DEBUG": "1",
        "MEDIA_ROOT": str(BASE_DIR / ".devdata" / f"media-{E2E_QUEUE}"),
    }
    for command in (["migrate", "--no-input"], ["seed_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], env=env, cwd=BASE_DIR, check=True, capture_output=True)
    yield env
    _admin_sql(f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')


@pytest.fixture(scope="session")
def live_url(request):
    """The app served by uvicorn (ASGI: pages and WebSockets) plus a Celery worker, on the e2e database.

    E2E_SERVER_URL points the journeys at a server started by hand on a seeded database instead (faster while
    debugging a journey; the journeys create what they need, so a reused database serves several runs)."""
    external = os.environ.get("E2E_SERVER_URL")
    if external:
        yield external.rstrip("/")
        return
    e2e_env = request.getfixturevalue("e2e_env")
    port = _free_port()
    logs = BASE_DIR / ".devdata" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "marketplace.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--lifespan", "off"],
            env={**e2e_env, "SITE_URL": f"http://127.0.0.1:{port}"}, cwd=BASE_DIR,
            stdout=(logs / f"e2e-web-{RUN_ID}.log").open("ab"), stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "-Q", E2E_QUEUE, "--concurrency", "2",
             "--hostname", f"e2e-{RUN_ID}@localhost", "--without-gossip", "--without-mingle"],
            env={**e2e_env, "SITE_URL": f"http://127.0.0.1:{port}"}, cwd=BASE_DIR,
            stdout=(logs / f"e2e-worker-{RUN_ID}.log").open("ab"), stderr=subprocess.STDOUT,
        ),
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(url + "/", 60)
        yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("the browser journeys need Debian's chromium: run scripts/ensure-browser.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _save_artifacts(request, pages) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    for index, page in enumerate(pages):
        if page.is_closed():
            continue
        page.screenshot(path=str(ARTIFACTS / f"{name}-{index}.png"), full_page=True)
        (ARTIFACTS / f"{name}-{index}.html").write_text(page.content(), encoding="utf-8")


@pytest.fixture
def new_page(browser, live_url, request):
    """Make pages (one per actor: shopper, merchant...); on failure each leaves a screenshot and its HTML."""
    contexts, pages = [], []

    def make(locale: str = "en-US", *, phone: bool = False, tablet: bool = False):
        size = {"width": 375, "height": 812} if phone else {"width": 1280, "height": 900}
        if tablet:
            size = {"width": 768, "height": 1024}
        context = browser.new_context(base_url=live_url, locale=locale, viewport=size, has_touch=phone)
        context.set_default_timeout(15_000)
        page = context.new_page()
        contexts.append(context)
        pages.append(page)
        return page

    yield make
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        _save_artifacts(request, pages)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")


# --- helpers shared by the journeys (each journey creates what it needs, so they run in any order) -----------------


def unique(prefix: str) -> str:
    """A name no other journey (or earlier run on a reused database) has used."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def sign_up_shopper(page, prefix: str = "shopper") -> str:
    """A new shopper signs up through the page and saves a default delivery address; returns the username."""
    from playwright.sync_api import expect

    username = unique(prefix)
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", DEMO_PASSWORD)
    page.fill("input[name=password2]", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_contain_text(username)
    page.goto("/accounts/addresses/")
    form = page.get_by_test_id("address-form")
    for name, value in (("recipient", "测试买家"), ("phone", "13812345678"), ("province", "浙江省"),
                        ("city", "杭州市"), ("district", "余杭区"), ("detail", "文一西路 969 号")):  # fmt: skip
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=is_default]").check()
    page.get_by_test_id("address-save").click()
    expect(page.get_by_test_id("address")).to_have_count(1)
    return username


def switch_store(page, store_name: str) -> None:
    """In the workbench, pick the store from the switcher (it submits on change) and land on its dashboard."""
    from playwright.sync_api import expect

    page.goto("/seller/")  # fresh: a store opened since the page loaded (merchants now land on /seller/) is listed
    switcher = page.get_by_test_id("store-switcher")
    value = switcher.locator("option", has_text=store_name).get_attribute("value")
    with page.expect_navigation():
        switcher.select_option(value)
    expect(page.locator("nav.subnav")).to_contain_text(store_name)


def mark_page(page) -> None:
    """Tag the loaded document; `still_same_page` then proves an update came without a reload."""
    page.evaluate("window.__e2eMark = 'same-document'")


def still_same_page(page) -> bool:
    return page.evaluate("window.__e2eMark === 'same-document'")


def pay_in_sandbox(page) -> str:
    """From the order's payment page: pay on the sandbox gateway's hosted page, come back to the order and wait
    (without reloading) until the gateway's callback, delivered by the worker, marks it paid. Returns the order
    number."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("pay-page")).to_be_visible()
    amount = page.get_by_test_id("pay-amount").inner_text()
    page.get_by_test_id("pay-now").click()
    expect(page.get_by_test_id("sandbox-page")).to_be_visible()
    assert page.get_by_test_id("sandbox-amount").inner_text() == amount
    page.get_by_test_id("sandbox-pay").click()
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    mark_page(page)
    expect(page.get_by_test_id("order-status")).to_have_text("Paid", timeout=30_000)
    assert still_same_page(page), "the paid status should arrive by polling, not by a reload"
    return re.search(r"/orders/(\d+)/", page.url).group(1)


def api_get(page, path: str) -> dict:
    """GET a JSON API endpoint with the page's session (what the signed-in user may see)."""
    response = page.request.get(path)
    assert response.ok, f"GET {path}: {response.status} {response.text()[:300]}"
    return response.json()


def create_product(page, *, title: str, category: str, skus: list[tuple[str, str, str, int]]) -> int:
    """In the workbench's current store, create a product with SKUs (code, "颜色=红; 尺码=M", price, warehouse
    stock) through the new-product form; returns the product id (the page is left on the product's edit page)."""
    page.goto("/seller/products/new/")
    form = page.get_by_test_id("product-form")
    form.locator("[name=title]").fill(title)
    form.locator("[name=title_en]").fill(f"E2E {title}")
    form.locator("[name=category]").select_option(label=f"— {category}")
    form.locator("[name=description]").fill(f"{title}: created by the browser journeys.")
    for row, (code, attributes, price, stock) in enumerate(skus):
        form.locator(f"[name=sku-{row}-code]").fill(code)
        form.locator(f"[name=sku-{row}-attributes]").fill(attributes)
        form.locator(f"[name=sku-{row}-price]").fill(price)
        form.locator(f"[name=sku-{row}-stock]").fill(str(stock))
    page.get_by_test_id("save-product").click()
    page.wait_for_url(re.compile(r"/seller/products/\d+/$"))
    return int(re.search(r"/seller/products/(\d+)/", page.url).group(1))


def api_post(page, path: str, data: dict) -> dict:
    """POST JSON to the API with the page's session and CSRF token (as the site's own scripts would)."""
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    response = page.request.post(path, data=data, headers={"X-CSRFToken": token, "Referer": page.url})
    assert response.ok, f"POST {path}: {response.status} {response.text()[:300]}"
    return response.json()


def choose_sku(page, *, quantity: int = 1, price: str | None = None) -> dict | None:
    """On a product page, pick an option with at least `quantity` in stock (and this price) through the attribute
    buttons; returns the option ({sku, values, price, stock}) or None when none qualifies."""
    import json

    from playwright.sync_api import expect

    data = json.loads(page.locator("#sku-data").text_content())
    for option in data["options"]:
        if option["stock"] < quantity or (price is not None and option["price"] != price):
            continue
        pressed = page.locator("[data-testid=sku-value][aria-pressed=true]")
        while pressed.count():
            pressed.first.click()  # clear the current choice, so no value of the target is blocked by it
        for axis, value in enumerate(option["values"]):
            page.locator(f'[data-testid=sku-value][data-axis="{axis}"][data-value="{value}"]').click()
        expect(page.get_by_test_id("chosen-sku")).to_have_value(str(option["sku"]))
        return option
    return None


# Elements wider than the viewport, outside the containers that scroll sideways on purpose (galleries, wide tables).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll' || s === 'hidden') return true; }
    return false; };
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') return false;
    return (r.right > width + 1 || r.left < -1) && !scrolls(el);
  });
  return { scrollWidth: document.documentElement.scrollWidth, width,
           wide: wide.slice(0, 5).map((el) => el.outerHTML.slice(0, 120)) };
}"""


def assert_fits_the_screen(page) -> None:
    """Nothing on the page makes it scroll sideways (the mobile check)."""
    found = page.evaluate(OVERFLOWING)
    assert found["scrollWidth"] <= found["width"] and not found["wide"], f"{page.url}: {found}"
