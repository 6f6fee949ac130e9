"""Checkout benchmark: shoppers placing orders for a 3-store, 6-line cart over HTTP, beside a view that inserts one row.

    .venv/bin/python bench/checkout.py [--orders 600] [--workers 2] [--concurrency 8] [--rounds 3]

1. Prepares (idempotently) three open bench stores with two SKUs each (120.00), a cross-store campaign "every 300
   off 50" the three stores are enrolled in (40% platform-funded), and ``--orders`` shoppers with API tokens and
   addresses. Each run gives every shopper a fresh cart holding the six SKUs (one of each) and one platform coupon
   200 off 20 of a new template (the engine picks it: coupon_choice "best"), and resets every SKU's warehouse
   stock to ``--orders`` (+3 for the in-process checkouts of step 2), so a run sells out exactly.
2. Counts the SQL of one representative checkout in-process (a spare shopper, after a first uncounted one;
   CaptureQueriesContext around orders.checkout.place_order: the checkout service, from reading the cart to
   reserving the stock, BEGIN and COMMIT included), and of another one through the whole API request (Django's
   test client: the cart, place_order and the order read back for the answer).
3. Creates the bench-only table ``bench_insert_rows`` and starts uvicorn (``--workers`` processes, DEBUG=0,
   BENCH_HELLO=1; output in .devdata/checkout_server.log) on a free loopback port, as bench/flash_sale.py does.
   ``--concurrency`` client processes, each with a keep-alive connection, then take turns in ``--rounds`` rounds:
   a round places its share of the orders (POST /api/v1/checkout/ with the shopper's token, address and an
   idempotency key: one order, one sub-order per store), then POSTs /bench/insert/ (the full middleware stack and
   one committed INSERT) for as long as those checkouts took. Interleaving puts the drift of a shared machine's
   speed on both alike.
4. Checks from the database: every order of the run has three sub-orders; for every SKU sold + stock left equals
   the starting stock and no stock level is negative (oversold 0). Drops the bench table.

orders_per_s = orders created / seconds spent checking out; insert_per_s = inserts / seconds spent inserting.
The last line is ``checkout orders_per_s=R insert_per_s=I ratio=R/I queries_per_checkout=Q`` (Q: step 2's
place_order count). Bounded (a fixed number of orders, inserts bounded by the checkout time, timeouts) and
loopback only; the uvicorn processes are stopped and the bench table dropped at the end.
"""

from __future__ import annotations

import argparse
import collections
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

STORES = 3
SKUS_PER_STORE = 2
SPARE_SHOPPERS = 3  # the in-process checkouts of step 2 (one warms the process up: lazy imports, first caches)
INSERT_TABLE = "bench_insert_rows"


# --- preparation -----------------------------------------------------------------------------------------------


def prepare(orders: int) -> tuple[list[int], list[tuple[str, int]], list]:
    """(sku ids, [(token, address id)] of the HTTP shoppers, the spare shoppers), every cart filled, every shopper
    holding a fresh coupon and every SKU's stock reset to what the run will sell."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import Address, User
    from orders.models import Cart, CartItem
    from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon
    from shops.models import SKU, Category, Merchant, Product, StockLevel, StockPool, Store

    owner, _ = User.objects.get_or_create(username="checkout-bench-merchant")
    merchant, _ = Merchant.objects.get_or_create(name="Checkout Bench Merchant", defaults={"owner": owner})
    category = Category.objects.filter(parent__isnull=True).first() or Category.objects.create(
        name="压测", name_en="Bench", slug="bench"
    )
    skus = []
    stores = []
    for index in range(STORES):
        store, _ = Store.objects.get_or_create(
            slug=f"checkout-bench-{index}",
            defaults={"merchant": merchant, "name": f"结算压测店 {index}", "brand": ("TAOBAO", "TMALL")[index % 2],
                      "status": "open"},
        )  # fmt: skip
        stores.append(store)
        for number in range(SKUS_PER_STORE):
            product, _ = Product.objects.get_or_create(
                store=store,
                title=f"结算压测商品 {index}-{number}",
                defaults={"category": category, "title_en": f"Checkout bench item {index}-{number}"},
            )
            sku, _ = SKU.objects.get_or_create(
                product=product, code=f"CHECKOUT-{index}-{number}", defaults={"price": Decimal("120.00")}
            )
            level, _ = StockLevel.objects.get_or_create(sku=sku, outlet=None, pool=StockPool.ONLINE)
            StockLevel.objects.filter(pk=level.pk).update(quantity=orders + SPARE_SHOPPERS)
            skus.append(sku)
    now = timezone.now()
    campaign, _ = Campaign.objects.update_or_create(
        name="Checkout bench: every 300 off 50",
        defaults={"starts_at": now - datetime.timedelta(hours=1), "ends_at": now + datetime.timedelta(days=1),
                  "every": Decimal("300.00"), "off": Decimal("50.00"), "platform_share": Decimal("0.40"),
                  "budget": None, "is_active": True},
    )  # fmt: skip
    for store in stores:
        CampaignEnrollment.objects.get_or_create(campaign=campaign, store=store)

    names = [f"checkout-bench-{i:05d}" for i in range(orders + SPARE_SHOPPERS)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([User(username=name, password="!") for name in names if name not in existing])
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    have_token = set(Token.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    Token.objects.bulk_create(
        [Token(user=u, key=Token.generate_key()) for u in users.values() if u.pk not in have_token]
    )
    have_address = set(Address.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    Address.objects.bulk_create(
        Address(user=u, recipient="压测", phone="13800000000", province="浙江", city="杭州", detail="1 号",
                is_default=True)
        for u in users.values() if u.pk not in have_address
    )  # fmt: skip
    have_cart = set(Cart.objects.filter(shopper__in=users.values()).values_list("shopper_id", flat=True))
    Cart.objects.bulk_create(Cart(shopper=u) for u in users.values() if u.pk not in have_cart)
    carts = list(Cart.objects.filter(shopper__in=users.values()))
    CartItem.objects.filter(cart__in=carts).delete()
    Cart.objects.filter(pk__in=[cart.pk for cart in carts]).update(coupon_choice=None)
    CartItem.objects.bulk_create(CartItem(cart=cart, sku=sku, quantity=1) for cart in carts for sku in skus)
    template = CouponTemplate.objects.create(
        kind=CouponTemplate.Kind.PLATFORM_COUPON, name=f"Checkout bench 200 off 20 ({now:%m%d %H%M%S})",
        off=Decimal("20.00"), threshold=Decimal("200.00"), total_quantity=len(users), issued_count=len(users),
        valid_days=1,
    )  # fmt: skip
    IssuedCoupon.objects.bulk_create(
        IssuedCoupon(template=template, shopper=u, valid_from=now - datetime.timedelta(minutes=5),
                     valid_to=now + datetime.timedelta(days=1))
        for u in users.values()
    )  # fmt: skip
    tokens = dict(Token.objects.filter(user__in=users.values()).values_list("user__username", "key"))
    addresses = dict(
        Address.objects.filter(user__in=users.values(), is_default=True).values_list("user__username", "pk")
    )
    buyers = [(tokens[name], addresses[name]) for name in names[SPARE_SHOPPERS:]]
    spares = [(users[name], addresses[name]) for name in names[:SPARE_SHOPPERS]]
    return [sku.pk for sku in skus], buyers, spares


def count_queries(spares: list) -> tuple[int, int]:
    """(queries of place_order, queries of the whole API request) for one representative checkout each."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from orders.checkout import place_order
    from orders.models import Cart

    (warm_shopper, warm_address_id), (shopper, address_id), (api_shopper, api_address_id) = spares
    place_order(
        shopper=warm_shopper,
        cart=Cart.objects.get(shopper=warm_shopper),
        idempotency_key=uuid.uuid4().hex,
        address_id=warm_address_id,
    )
    cart = Cart.objects.get(shopper=shopper)
    with CaptureQueriesContext(connection) as service:
        place_order(shopper=shopper, cart=cart, idempotency_key=uuid.uuid4().hex, address_id=address_id)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = APIClient()
    client.force_authenticate(api_shopper)
    with CaptureQueriesContext(connection) as request:
        answer = client.post(
            "/api/v1/checkout/", {"idempotency_key": uuid.uuid4().hex, "address": api_address_id}, format="json"
        )
    if answer.status_code != 201:
        raise RuntimeError(f"representative checkout answered {answer.status_code}: {answer.content[:300]!r}")
    return len(service.captured_queries), len(request.captured_queries)


# --- the server ------------------------------------------------------------------------------------------------


# --- the clients -----------------------------------------------------------------------------------------------


def check_out_all(port: int, buyers: list[tuple[str, int]]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for token, address_id in buyers:
        body = json.dumps({"idempotency_key": uuid.uuid4().hex, "address": address_id})
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Host": "127.0.0.1"}
        try:
            connection.request("POST", "/api/v1/checkout/", body, headers)
            response = connection.getresponse()
            answer = response.read()
            key = "created" if response.status == 201 else f"{response.status}:{json.loads(answer).get('code', '?')}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            key = f"error:{type(exc).__name__}"
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        outcomes[key] = outcomes.get(key, 0) + 1
    return outcomes


def insert_until(port: int, deadline_in: float) -> int:
    """POST /bench/insert/ until ``deadline_in`` seconds have passed; the number of rows inserted."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Host": "127.0.0.1"}
    body = json.dumps({"note": "bench"})
    deadline = time.monotonic() + deadline_in
    inserted = 0
    while time.monotonic() < deadline:
        connection.request("POST", "/bench/insert/", body, headers)
        response = connection.getresponse()
        response.read()
        inserted += response.status == 201
    return inserted


def checkout_round(pool, port: int, buyers: list, concurrency: int) -> tuple[dict[str, int], float]:
    shares = [buyers[index::concurrency] for index in range(concurrency)]
    started = time.monotonic()
    results = pool.starmap(check_out_all, [(port, share) for share in shares if share])
    seconds = time.monotonic() - started
    outcomes: dict[str, int] = {}
    for result in results:
        for key, count in result.items():
            outcomes[key] = outcomes.get(key, 0) + count
    return outcomes, seconds


def insert_round(pool, port: int, seconds: float, concurrency: int) -> tuple[int, float]:
    started = time.monotonic()
    inserted = sum(pool.starmap(insert_until, [(port, seconds)] * concurrency))
    return inserted, time.monotonic() - started


# --- checks ----------------------------------------------------------------------------------------------------


def verify(sku_ids: list[int], start: int, run_started) -> dict:
    from django.db.models import Count, Sum

    from orders.models import Order, OrderLine
    from shops.models import StockLevel

    orders = Order.objects.filter(shopper__username__startswith="checkout-bench-", created_at__gte=run_started)
    split = collections.Counter(orders.annotate(parts=Count("suborders")).values_list("parts", flat=True))
    sold = dict(
        OrderLine.objects.filter(sku_id__in=sku_ids, suborder__order__in=orders)
        .values_list("sku_id")
        .annotate(units=Sum("quantity"))
    )
    left = dict(StockLevel.objects.filter(sku_id__in=sku_ids).values_list("sku_id").annotate(units=Sum("quantity")))
    negative = StockLevel.objects.filter(sku_id__in=sku_ids, quantity__lt=0).count()
    mismatched = [pk for pk in sku_ids if sold.get(pk, 0) + left.get(pk, 0) != start]
    oversold = sum(max(0, sold.get(pk, 0) - start) for pk in sku_ids) + negative
    return {"orders": orders.count(), "suborders_per_order": dict(split), "sold": sold, "left": left,
            "mismatched": mismatched, "oversold": oversold}  # fmt: skip


def create_insert_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {INSERT_TABLE}")
        cursor.execute(f"CREATE TABLE {INSERT_TABLE} (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),"
                       " body text NOT NULL)")  # fmt: skip


def drop_insert_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {INSERT_TABLE}")


# --- main ------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=600, help="checkouts over HTTP (one shopper each)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn processes")
    parser.add_argument("--concurrency", type=int, default=8, help="client processes")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not (1 <= args.orders <= 10000 and 1 <= args.workers <= 16 and 1 <= args.concurrency <= 64):
        parser.error("keep it bounded: orders <= 10000, workers <= 16, concurrency <= 64")
    if not 1 <= args.rounds <= min(args.orders, 20):
        parser.error("rounds: 1 to min(orders, 20)")

    support.ready_database()
    from django.db import connections
    from django.utils import timezone

    started_preparing = time.monotonic()
    sku_ids, buyers, spares = prepare(args.orders)
    start_stock = args.orders + SPARE_SHOPPERS
    run_started = timezone.now()
    service_queries, request_queries = count_queries(spares)
    print(
        f"prepared {STORES} stores x {SKUS_PER_STORE} SKUs, campaign every 300 off 50, {len(buyers)} shoppers with a "
        f"6-line cart and a 200-off-20 coupon each ({time.monotonic() - started_preparing:.1f}s)",
        flush=True,
    )
    print(f"SQL of one checkout in-process: place_order {service_queries}, whole API request {request_queries}")
    create_insert_table()
    port = support.free_port()
    server = support.start_app_server(port, args.workers, "checkout_server")
    outcomes: dict[str, int] = {}
    checkout_seconds = insert_seconds = 0.0
    inserted = 0
    try:
        support.wait_for_hello(port)
        connections.close_all()  # the client processes are forked: no database socket to share with them
        with multiprocessing.Pool(args.concurrency) as pool:
            pool.starmap(insert_until, [(port, 0.3)] * args.concurrency)  # every server process and client warm
            for index in range(args.rounds):
                share = buyers[index :: args.rounds]
                round_outcomes, seconds = checkout_round(pool, port, share, args.concurrency)
                for key, count in round_outcomes.items():
                    outcomes[key] = outcomes.get(key, 0) + count
                checkout_seconds += seconds
                rows, spent = insert_round(pool, port, seconds, args.concurrency)
                inserted += rows
                insert_seconds += spent
                print(f"round {index + 1}: {len(share)} checkouts in {seconds:.2f}s, {rows} inserts in {spent:.2f}s",
                      flush=True)  # fmt: skip
    finally:
        support.stop_app_server(server)
        drop_insert_table()
    result = verify(sku_ids, start_stock, run_started)
    created = outcomes.get("created", 0)
    orders_per_s = created / checkout_seconds if checkout_seconds else 0.0
    insert_per_s = inserted / insert_seconds if insert_seconds else 0.0
    ratio = orders_per_s / insert_per_s if insert_per_s else 0.0
    print(f"outcomes: {dict(sorted(outcomes.items()))}")
    print(f"orders written in the run: {result['orders']} (sub-orders per order: {result['suborders_per_order']})")
    print(f"stock per SKU: start {start_stock}, sold {sorted(result['sold'].values())}, "
          f"left {sorted(result['left'].values())}, oversold {result['oversold']}")  # fmt: skip
    if result["mismatched"]:
        print(f"MISMATCH: sold + left != start for SKUs {result['mismatched']}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"checkout orders_per_s={orders_per_s:.1f} insert_per_s={insert_per_s:.1f} ratio={ratio:.3f} "
        f"queries_per_checkout={service_queries}"
    )
    healthy = result["oversold"] == 0 and not result["mismatched"] and created == len(buyers)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
