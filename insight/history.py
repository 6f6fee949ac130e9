"""A year of plausible sales for demos and benchmarks: weekly seasonality (weekends busier), campaign spikes
(618, Double 11 and any platform campaign in the period), shoppers with favourite categories (so recommendations
have something to learn), product views for the last 180 days, then rollups, recommendations and forecasts.

Written with bulk inserts in chunks (no per-order services: the history is already paid and completed, no
stock is taken, no ledger is posted); every row is marked with the HISTORY_PREFIX in its order number.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from insight.analytics import rollup
from insight.analytics.queries import day_start
from insight.forecast import campaign_days
from insight.models import Event
from orders.models import Order, OrderLine, StockDraw, SubOrder
from shops.models import SKU, StockLevel

HISTORY_PREFIX = "H"
CHUNK = 5_000


def _spike(day: datetime.date, campaigns: set[datetime.date]) -> float:
    if day in campaigns or (day.month == 11 and day.day <= 11) or (day.month == 6 and 1 <= day.day <= 18):
        return 3.0 if (day.month, day.day) in {(11, 11), (6, 18)} else 1.8
    return 1.0


def generate(days: int = 365, orders_per_day: int = 40, shoppers: int = 300, seed: int = 21, stdout=None,
             finish: bool = True) -> dict:  # fmt: skip
    rng = random.Random(seed)
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days)
    skus = list(
        SKU.objects.filter(is_active=True, product__status="active", store__status="open")
        .select_related("product")
        .order_by("pk")[:2000]
    )
    if not skus:
        return {"orders": 0}
    warehouse = dict(StockLevel.objects.filter(sku__in=skus, outlet__isnull=True).values_list("sku_id", "pk"))
    skus = [sku for sku in skus if sku.pk in warehouse]
    by_category: dict[int, list[SKU]] = {}
    for sku in skus:
        by_category.setdefault(sku.product.category_id, []).append(sku)
    categories = sorted(by_category)
    User = get_user_model()
    names = [f"hist{seed}_{n}" for n in range(shoppers)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([User(username=name, password="!") for name in names if name not in existing])
    people = list(User.objects.filter(username__in=names).order_by("pk").values_list("pk", flat=True))
    taste = {pk: rng.sample(categories, min(2, len(categories))) for pk in people}
    campaigns = campaign_days(first, today)
    tz = timezone.get_default_timezone()
    run = f"{HISTORY_PREFIX}{seed}{timezone.now():%H%M%S}"
    orders = suborders = lines = 0
    pending: list[tuple] = []
    events: list[Event] = []
    events_from = today - datetime.timedelta(days=180)

    def flush():
        nonlocal orders, suborders, lines
        if not pending:
            return
        with transaction.atomic():
            order_rows = Order.objects.bulk_create([item[0] for item in pending])
            sub_rows = []
            for order, (_order, sub, _lines) in zip(order_rows, pending, strict=True):
                sub.order = order
                sub_rows.append(sub)
            SubOrder.objects.bulk_create(sub_rows)
            line_rows = []
            for sub, (_order, _sub, sub_lines) in zip(sub_rows, pending, strict=True):
                for line in sub_lines:
                    line.suborder = sub
                    line_rows.append(line)
            OrderLine.objects.bulk_create(line_rows, batch_size=2000)
            StockDraw.objects.bulk_create(
                [StockDraw(line=line, stock_level_id=warehouse[line.sku_id], quantity=line.quantity)
                 for line in line_rows], batch_size=2000,
            )  # fmt: skip
            with connection.cursor() as cursor:  # auto_now_add stamped "now": put the history back in its day
                cursor.execute("UPDATE orders_order SET created_at = paid_at WHERE id = ANY(%s)",
                               [[o.pk for o in order_rows]])  # fmt: skip
                cursor.execute("UPDATE orders_suborder SET created_at = paid_at WHERE id = ANY(%s)",
                               [[s.pk for s in sub_rows]])  # fmt: skip
        orders += len(order_rows)
        suborders += len(sub_rows)
        lines += len(line_rows)
        pending.clear()

    day = first
    while day < today:
        factor = (1.5 if day.weekday() >= 5 else 1.2 if day.weekday() == 4 else 1.0) * _spike(day, campaigns)
        trend = 0.8 + 0.4 * (day - first).days / max(days, 1)
        count = max(0, int(rng.gauss(orders_per_day * factor * trend, orders_per_day * 0.1)))
        for n in range(count):
            shopper = rng.choice(people)
            pool = by_category[rng.choice(taste[shopper])] if rng.random() < 0.8 else skus
            first_sku = rng.choice(pool)
            store_skus = [s for s in pool if s.store_id == first_sku.store_id] or [first_sku]
            chosen = {first_sku.pk: first_sku}
            for _ in range(rng.choice((0, 0, 1, 2))):
                extra = rng.choice(store_skus)
                chosen[extra.pk] = extra
            at = day_start(day) + datetime.timedelta(seconds=rng.randint(8 * 3600, 23 * 3600))
            order_lines, total = [], Decimal("0")
            for sku in chosen.values():
                quantity = rng.choice((1, 1, 1, 2, 3))
                amount = sku.price * quantity
                total += amount
                order_lines.append(OrderLine(sku=sku, title=sku.product.title[:200], sku_label=sku.label[:200],
                                             quantity=quantity, unit_price=sku.price, subtotal=amount, base=amount,
                                             payable=amount, source=""))  # fmt: skip
            number = f"{run}{day:%y%m%d}{n:05d}"
            order = Order(number=number, shopper_id=shopper, idempotency_key=number, status=Order.Status.PAID,
                          subtotal=total, payable=total, expires_at=at, paid_at=at)  # fmt: skip
            sub = SubOrder(number=f"{number}-1", store_id=first_sku.store_id, state=SubOrder.State.COMPLETED,
                           subtotal=total, payable=total, paid_at=at, shipped_at=at, received_at=at,
                           completed_at=at)  # fmt: skip
            pending.append((order, sub, order_lines))
            if day >= events_from:
                for sku in chosen.values():
                    for _ in range(rng.choice((1, 2, 3))):
                        seen = at - datetime.timedelta(minutes=rng.randint(1, 120))
                        events.append(Event(kind="product_view", at=seen, day=seen.astimezone(tz).date(),
                                            visitor=f"u{shopper}", user_id=shopper, store_id=sku.store_id,
                                            product_id=sku.product_id,
                                            source=rng.choice(("direct", "search", "search", "recommendation",
                                                               "live", "campaign"))))  # fmt: skip
            if len(pending) >= CHUNK:
                flush()
                Event.objects.bulk_create(events, batch_size=5000)
                events.clear()
                if stdout:
                    stdout.write(f"  ... {orders} orders up to {day}")
        day += datetime.timedelta(days=1)
    flush()
    Event.objects.bulk_create(events, batch_size=5000)
    result = {"orders": orders, "suborders": suborders, "lines": lines}
    if finish:
        from insight import forecast
        from insight.recs import training

        result["rolled_days"] = rollup.roll_range(first, today)
        result["neighbors"] = training.train()
        result["forecast_rows"] = forecast.refresh()
    return result
