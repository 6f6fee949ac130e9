"""Generate N catalog products fast (PostgreSQL COPY) for benchmarks: realistic titles over 5 verticals, 2 SKUs
each with warehouse stock, search tokens precomputed with jieba exactly as shops.services does.

    manage.py generate_products 100000
"""

from __future__ import annotations

import io
import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from shops import demo, search
from shops.models import Category, Product, Store

BATCH = 10_000


class Command(BaseCommand):
    help = "Bulk-generate N products (2 SKUs each, warehouse stock) into the current database with COPY."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, count: int, seed: int, **options):
        if count < 1:
            self.stderr.write("count must be positive")
            return
        stores = list(Store.objects.filter(status=Store.Status.OPEN).order_by("pk"))
        if not stores:
            self.stderr.write("No open stores: run `manage.py seed_demo` first.")
            return
        ideas = self._ideas()
        rng = random.Random(seed)
        started = time.monotonic()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            self._batch(size, made, stores, ideas, rng)
            made += size
            self.stdout.write(f"  {made}/{count} products ({time.monotonic() - started:.0f}s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE shops_product; ANALYZE shops_sku; ANALYZE shops_stocklevel;")
        self.stdout.write(self.style.SUCCESS(f"generated {count} products in {time.monotonic() - started:.1f}s"))

    def _ideas(self) -> list[dict]:
        """Every (modifier x item) title with its category and precomputed search tokens (jieba runs once each)."""
        categories = {c.slug: c for c in Category.objects.all()}
        ideas = []
        for _vslug, _vname, _ven, subs in demo.CATEGORIES:
            for sub_slug, sub_name, sub_en, items in subs:
                category = categories[sub_slug]
                for item_zh, item_en in items:
                    for modifier_zh, modifier_en in demo.MODIFIERS:
                        title, title_en = f"{modifier_zh}{item_zh}", f"{modifier_en.capitalize()} {item_en}"
                        description = f"{title_en}. Carefully selected, ships in 48 hours. {title}，品质保证。"
                        ideas.append({
                            "category": category.pk, "title": title, "title_en": title_en,
                            "description": description,
                            "search_title": search.document_tokens(title, title_en),
                            "search_body": search.document_tokens(description, sub_name, sub_en),
                        })  # fmt: skip
        return ideas

    @transaction.atomic
    def _batch(self, size: int, offset: int, stores, ideas, rng) -> None:
        now = timezone.now().isoformat()
        first_id = self._reserve_ids("shops_product", size)
        first_sku = self._reserve_ids("shops_sku", size * 2)
        first_level = self._reserve_ids("shops_stocklevel", size * 2)
        products, skus, levels = io.StringIO(), io.StringIO(), io.StringIO()
        for n in range(size):
            product_id = first_id + n
            idea = ideas[rng.randrange(len(ideas))]
            store = stores[rng.randrange(len(stores))]
            price = rng.randint(10, 3000)
            title = f"{idea['title']} {offset + n}"
            sales = rng.randint(0, 10000)
            row = [product_id, store.pk, idea["category"], title, idea["title_en"], idea["description"], "",
                   Product.Status.ACTIVE, "f", sales, sales, f"{price}.00", now, now, idea["search_title"],
                   idea["search_body"], "[]"]  # fmt: skip
            products.write("\t".join(_clean(value) for value in row) + "\n")
            for k in range(2):
                sku_id = first_sku + 2 * n + k
                skus.write(f"{sku_id}\t{product_id}\t{store.pk}\tGEN-{product_id}-{k}\t{{\"规格\": \"{k + 1}\"}}\t"
                           f"{price + k * 10}.00\tt\t\\N\n")  # fmt: skip
                quantity = 0 if rng.random() < 0.1 else rng.randint(1, 100)
                levels.write(f"{first_level + 2 * n + k}\t{sku_id}\t\\N\tonline\t{quantity}\n")
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for buffer, table, columns in (
                (products, "shops_product", "id, store_id, category_id, title, title_en, description, image, status, "
                 "featured, sales_count, recommend_score, min_price, created_at, updated_at, search_title, search_body, "
                 "gallery"),
                (skus, "shops_sku", "id, product_id, store_id, code, attributes, price, is_active, per_shopper_limit"),
                (levels, "shops_stocklevel", "id, sku_id, outlet_id, pool, quantity"),
            ):  # fmt: skip
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)

    def _reserve_ids(self, table: str, count: int) -> int:
        """Take `count` ids from the table's sequence so COPY rows never collide with normal inserts."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"nextval(pg_get_serial_sequence('{table}', 'id')) + %s - 1)",
                [count],
            )
            last = cursor.fetchone()[0]
        return last - count + 1


def _clean(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
