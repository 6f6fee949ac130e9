"""Customer segments benchmark: the set-based recompute over a large order history.

    .venv/bin/python bench/customers.py [--shoppers 100000] [--lines 1000000] [--merchants 50] [--keep-db]
    .venv/bin/python bench/customers.py --tiny        # 1,000 shoppers / 10,000 lines: checks the script works

1. Creates a fresh database ``marketplace_bench_customers`` on the dev PostgreSQL (migrated; dropped at the end
   unless --keep-db), so the run neither depends on nor pollutes the development data.
2. Generates the history with set-based INSERT ... SELECT (not through checkout: only the recompute is measured):
   ``--merchants`` merchants with a Taobao and a Tmall store each, ``--shoppers`` shoppers, paid sub-orders of one
   to four lines (2.5 on average) over the last 400 days until ``--lines`` order lines exist, spread over the
   stores, so most shoppers are customers of several merchants and many buy at both brands of one; 5% of the
   shoppers follow a store. Columns this script does not know get their model default, so new fields do not
   break it. ANALYZE runs before timing.
3. Times ``customers.services.segments.recompute()`` for every merchant (one transaction: aggregate, threshold,
   delete, upsert, snapshot), then a second run (the nightly case: every row already there).

Last line: ``customers shoppers=N lines=N customer_rows=N recompute_s=.. rerun_s=..``. Goal: recompute_s < 60.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

BENCH_DB = "marketplace_bench_customers"


def database_urls() -> tuple[str, str]:
    """(admin url on the 'postgres' database, bench database url)."""
    from marketplace import devstack

    devstack.up()
    url = urlsplit(os.environ.get("DATABASE_URL") or devstack.environment()["DATABASE_URL"])
    return urlunsplit(url._replace(path="/postgres")), urlunsplit(url._replace(path=f"/{BENCH_DB}"))


def admin_sql(admin_url: str, *statements: str) -> None:
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
    os.environ["DEVSTACK_AUTOSTART"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def insert_select(cursor, model, expressions: dict[str, str], source: str, params: dict) -> None:
    """INSERT INTO model's table SELECT ... FROM ``source``: the given SQL expression per field, every other
    column its model default (as a parameter). Primary keys are left to their sequence."""
    from psycopg2.extras import Json

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in expressions:
            continue
        if getattr(field, "generated", False):
            continue
        columns.append(f'"{field.column}"')
        if field.name in expressions:
            values.append(expressions[field.name])
        else:
            name = f"default_{field.column}"
            default = field.get_default()
            params[name] = Json(default) if isinstance(default, dict | list) else default
            values.append(f"%({name})s")
    table = model._meta.db_table
    cursor.execute(f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(values)} FROM {source}', params)


def generate(shoppers: int, lines: int, merchants: int) -> None:
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from customers.models import StoreFollow
    from orders.models import Order, OrderLine, SubOrder
    from shops.models import SKU, BrandAuthorization, Category, Merchant, Product, Store

    now = timezone.now()
    with transaction.atomic():
        owner = User.objects.create(username="customers-bench-owner")
        category = Category.objects.create(name="压测", name_en="Bench", slug="customers-bench")
        skus = []
        for m in range(merchants):
            merchant = Merchant.objects.create(name=f"Bench merchant {m}", owner=owner)
            for brand in ("TAOBAO", "TMALL"):
                store = Store.objects.create(merchant=merchant, name=f"压测店 {m} {brand}",
                                             slug=f"bench-{m}-{brand.lower()}", brand=brand, status="open")  # fmt: skip
                if brand == "TMALL":
                    BrandAuthorization.objects.create(store=store, brand_name="Bench", status="approved")
                product = Product.objects.create(store=store, category=category, title="压测商品")
                skus.append(SKU.objects.create(product=product, code=f"B-{m}-{brand}", price=Decimal("49.00")))
        store_count = len(skus)
        sku_ids = [sku.pk for sku in skus]
        store_ids = [sku.store_id for sku in skus]
    suborders = max(lines * 2 // 5, 1)  # 1..4 lines each, 2.5 on average
    params = {"now": now, "shoppers": shoppers, "suborders": suborders, "stores": store_count,
              "sku_ids": sku_ids, "store_ids": store_ids}  # fmt: skip
    user = User._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        insert_select(cursor, User, {
            "username": "'bench-shopper-' || g", "password": "'!'", "date_joined": "%(now)s",
        }, "generate_series(1, %(shoppers)s) AS g", params)  # fmt: skip
        cursor.execute(f'SELECT MIN(id) FROM "{user}" WHERE username LIKE %s', ["bench-shopper-%"])
        params["first_user"] = cursor.fetchone()[0]
        # Sub-order g: shopper and store drawn from g (deterministic, well spread), paid in the last 400 days.
        cursor.execute("""
            CREATE TEMP TABLE bench_plan AS
            SELECT g,
                   %(first_user)s + (hashint4(g) & 2147483647) %% %(shoppers)s AS shopper_id,
                   1 + (hashint4(g * 7 + 3) & 2147483647) %% %(stores)s AS store_no,
                   1 + g %% 4 AS line_count,
                   %(now)s - make_interval(secs => ((hashint4(g * 13 + 5) & 2147483647) %% (400 * 86400))) AS paid_at
            FROM generate_series(1, %(suborders)s) AS g
        """, params)  # fmt: skip
        insert_select(cursor, Order, {
            "number": "'B' || g", "shopper": "shopper_id", "idempotency_key": "'bench-' || g", "status": "'paid'",
            "subtotal": "49.00 * line_count", "discount": "0", "payable": "49.00 * line_count",
            "created_at": "paid_at", "expires_at": "paid_at", "paid_at": "paid_at",
        }, "bench_plan", params)  # fmt: skip
        order_table, suborder_table = Order._meta.db_table, SubOrder._meta.db_table
        insert_select(cursor, SubOrder, {
            "order": "o.id", "number": "'BS' || p.g", "store": "(%(store_ids)s::bigint[])[p.store_no]",
            "state": "'received'", "subtotal": "49.00 * p.line_count", "discount": "0",
            "payable": "49.00 * p.line_count", "created_at": "p.paid_at", "paid_at": "p.paid_at",
        }, f'bench_plan p JOIN "{order_table}" o ON o.number = \'B\' || p.g', params)  # fmt: skip
        insert_select(cursor, OrderLine, {
            "suborder": "s.id", "sku": "(%(sku_ids)s::bigint[])[p.store_no]", "title": "'压测商品'",
            "quantity": "1", "unit_price": "49.00", "subtotal": "49.00", "base": "49.00", "payable": "49.00",
        }, f'bench_plan p JOIN "{suborder_table}" s ON s.number = \'BS\' || p.g '
           f"CROSS JOIN LATERAL generate_series(1, p.line_count) AS k", params)  # fmt: skip
        insert_select(cursor, StoreFollow, {
            "shopper": "%(first_user)s + g - 1", "store": "(%(store_ids)s::bigint[])[1 + g %% %(stores)s]",
            "created_at": "%(now)s",
        }, "generate_series(1, GREATEST(%(shoppers)s / 20, 1)) AS g", params)  # fmt: skip
        cursor.execute("DROP TABLE bench_plan")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--merchants", type=int, default=50)
    parser.add_argument("--tiny", action="store_true", help="1,000 shoppers and 10,000 lines: a smoke run")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if args.tiny:
        args.shoppers, args.lines, args.merchants = 1_000, 10_000, 5
    admin_url, bench_url = database_urls()
    admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)', f'CREATE DATABASE "{BENCH_DB}"')
    try:
        setup_django(bench_url)
        started = time.perf_counter()
        generate(args.shoppers, args.lines, args.merchants)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)

        from django.db import connection

        from customers.models import Customer
        from customers.services.segments import recompute
        from orders.models import OrderLine

        lines = OrderLine.objects.count()
        started = time.perf_counter()
        recompute()
        first = time.perf_counter() - started
        started = time.perf_counter()
        rows = recompute()
        second = time.perf_counter() - started
        customers = Customer.objects.count()
        connection.close()
        assert rows == customers, (rows, customers)
        print(
            f"customers shoppers={args.shoppers} lines={lines} customer_rows={customers} "
            f"recompute_s={first:.2f} rerun_s={second:.2f}"
        )
    finally:
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
