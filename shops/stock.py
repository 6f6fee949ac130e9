"""Stock reservation and release (拍下减库存): the only code that moves StockLevel quantities for orders.

Never oversold, never deadlocked:
- ``reserve`` locks every candidate row of every requested SKU with one ``SELECT ... FOR UPDATE`` ordered by
  StockLevel id (the rows are chosen and locked in the same statement). All callers lock in the same global order, so two checkouts sharing SKUs wait for each other
  instead of deadlocking, and nobody can change a locked row until the reserving transaction ends.
- Each decrement is still a conditional ``UPDATE ... SET quantity = quantity - n WHERE quantity >= n`` and the
  table has ``CHECK (quantity >= 0)``: belt and braces if some other code path ever forgot the lock.
- Delivery draws from the online warehouse row first, then the shared pools of active outlets (by id); pickup at an
  outlet draws from that outlet's outlet-only pool first, then its shared pool.

The caller records the returned draws and passes them back to ``release`` to put units back where they came from.
After the commit, the cached pages of the products whose stock moved are dropped (shops.caching.forget_products).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from shops import caching
from shops.lock_objects import locked_stock_rows
from shops.models import SKU, StockLevel, StockPool


@dataclass(frozen=True)
class StockRequest:
    key: str  # the caller's id for this line
    sku_id: int
    quantity: int
    outlet_id: int | None = None  # None = delivery; otherwise pickup at this outlet


@dataclass(frozen=True)
class Draw:
    stock_level_id: int
    quantity: int


def candidate_rows(sku_id: int, outlet_id: int | None):
    """The rows a request may draw from, in the order it should draw."""
    rows = StockLevel.objects.filter(sku_id=sku_id)
    if outlet_id is None:
        rows = rows.for_delivery()
        first = Q(outlet__isnull=True)
    else:
        rows = rows.for_pickup(outlet_id)
        first = Q(pool=StockPool.OUTLET)
    preference = Case(When(first, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.annotate(preference=preference).order_by("preference", "id")


def available(sku_id: int, outlet_id: int | None = None) -> int:
    """Units a shopper could reserve now for delivery (or pickup at ``outlet_id``). A read, not a promise."""
    return candidate_rows(sku_id, outlet_id).filter(quantity__gt=0).total()


def outlets_with_stock(sku_quantities: dict[int, int], store_id: int) -> list[int]:
    """Active outlets of a store that can hand over every (sku, quantity) for pickup right now."""
    from shops.models import Outlet

    result = []
    for outlet in Outlet.objects.filter(store_id=store_id, is_active=True).order_by("id"):
        if all(available(sku_id, outlet.pk) >= quantity for sku_id, quantity in sku_quantities.items()):
            result.append(outlet.pk)
    return result


def sellable(store_of: dict[int, int]) -> dict[int, int]:
    """sku id -> the most a shopper could get now: its delivery stock, or the best pickup stock at one active outlet
    of its store (``store_of``: sku id -> store id). What ``available`` answers per SKU and outlet, in one query."""
    delivery: dict[int, int] = defaultdict(int)
    pickup: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        StockLevel.objects.filter(sku_id__in=list(store_of), quantity__gt=0)
        .filter(Q(outlet__isnull=True) | Q(outlet__is_active=True))
        .values_list("sku_id", "outlet_id", "pool", "outlet__store_id", "quantity")
    )
    for sku_id, outlet_id, pool, outlet_store_id, quantity in rows:
        if outlet_id is None or pool == StockPool.SHARED:
            delivery[sku_id] += quantity
        if outlet_id is not None and outlet_store_id == store_of[sku_id] and pool in PICKUP_POOLS:
            pickup[(sku_id, outlet_id)] += quantity
    best = {sku_id: delivery[sku_id] for sku_id in store_of}
    for (sku_id, _outlet_id), quantity in pickup.items():
        best[sku_id] = max(best[sku_id], quantity)
    return best


PICKUP_POOLS = (StockPool.OUTLET, StockPool.SHARED)


def candidates_condition(sku_id: int, outlet_id: int | None) -> Q:
    """The rows ``candidate_rows`` returns, as one condition (to lock the rows of many requests in one statement)."""
    if outlet_id is None:
        return Q(sku_id=sku_id) & (Q(outlet__isnull=True) | Q(pool=StockPool.SHARED, outlet__is_active=True))
    return Q(sku_id=sku_id, outlet_id=outlet_id, outlet__is_active=True, pool__in=PICKUP_POOLS)


def is_candidate(row: StockLevel, outlet_id: int | None) -> bool:
    """``candidates_condition`` for a locked row of the right SKU (``row.outlet_active`` annotated)."""
    if outlet_id is None:
        return row.outlet_id is None or (row.pool == StockPool.SHARED and row.outlet_active)
    return row.outlet_id == outlet_id and row.outlet_active and row.pool in PICKUP_POOLS


def preference(row: StockLevel, outlet_id: int | None) -> tuple[int, int]:
    """The order ``candidate_rows`` draws in: warehouse (delivery) or outlet-only pool (pickup) first, then by id."""
    first = row.outlet_id is None if outlet_id is None else row.pool == StockPool.OUTLET
    return (0 if first else 1, row.pk)


def reserve(requests: list[StockRequest]) -> dict[str, list[Draw]]:
    """Take the units of every request in the caller's transaction, or none of them (DomainError).

    Returns ``{request key: [Draw, ...]}``. Three statements whatever the number of requests: the lock of every
    candidate row, one conditional decrement of all the rows drawn from, and (after the commit) the page cache.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock.reserve must run inside the order's transaction")
    for request in requests:
        if request.quantity < 1:
            raise DomainError(_("Quantity must be at least 1."), code="invalid_quantity")
    if not requests:
        return {}
    wanted = sorted({(r.sku_id, r.outlet_id) for r in requests}, key=lambda pair: (pair[0], pair[1] or 0))
    # The lock, in one global order (StockLevel id), over every row any request might touch.
    rows = locked_stock_rows(reduce(operator.or_, (candidates_condition(*pair) for pair in wanted)))
    candidates = {
        (sku_id, outlet_id): sorted(
            (row for row in rows if row.sku_id == sku_id and is_candidate(row, outlet_id)),
            key=lambda row: preference(row, outlet_id),
        )
        for sku_id, outlet_id in wanted
    }
    locked = {row.pk: row.quantity for row in rows}
    plan: dict[str, list[Draw]] = {}
    for request in requests:
        plan[request.key] = allocate(request, candidates[(request.sku_id, request.outlet_id)], locked)
    totals: dict[int, int] = defaultdict(int)
    for draws in plan.values():
        for draw in draws:
            totals[draw.stock_level_id] += draw.quantity
    decrement_all(totals)
    products = {row.product_id for row in rows if row.pk in totals}
    transaction.on_commit(lambda: caching.forget_products(products), robust=True)
    return plan


def allocate(request: StockRequest, rows: list[StockLevel], locked: dict[int, int]) -> list[Draw]:
    """Split one request over its rows (in preference order), using the locked quantities."""
    needed = request.quantity
    draws = []
    for row in rows:
        take = min(needed, locked.get(row.pk, 0))
        if take <= 0:
            continue
        locked[row.pk] -= take
        draws.append(Draw(row.pk, take))
        needed -= take
        if needed == 0:
            return draws
    raise DomainError(not_enough_message(request), code="out_of_stock", status_code=409)


def not_enough_message(request: StockRequest) -> str:
    sku = SKU.objects.select_related("product").filter(pk=request.sku_id).first()
    name = str(sku) if sku else request.sku_id
    where = _("for pickup at this outlet") if request.outlet_id else _("for delivery")
    return _("Not enough stock of %(name)s %(where)s (you asked for %(quantity)s).") % {
        "name": name,
        "where": where,
        "quantity": request.quantity,
    }


def decrement_all(totals: dict[int, int]) -> None:
    """Take ``totals`` (stock level id -> units) off locked rows in one conditional UPDATE (plain SQL: the ORM's
    CASE per row cost more to build than the statement takes to run)."""
    if not totals:
        return
    table = connection.ops.quote_name(StockLevel._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(totals))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS stock SET quantity = stock.quantity - taken.units"  # noqa: S608 - only placeholders
            f" FROM (VALUES {values}) AS taken (id, units)"
            " WHERE stock.id = taken.id AND stock.quantity >= taken.units",
            [number for pk_units in sorted(totals.items()) for number in pk_units],
        )
        updated = cursor.rowcount
    if updated != len(totals):  # only possible if someone changed a locked row: refuse rather than oversell
        raise DomainError(_("Stock changed while reserving; please try again."), code="out_of_stock", status_code=409)


def release(draws: list[Draw]) -> None:
    """Put units back on the rows they were drawn from (in id order, like ``reserve``)."""
    totals: dict[int, int] = defaultdict(int)
    for draw in draws:
        if draw.quantity < 0:
            raise ValueError("cannot release a negative quantity")
        totals[draw.stock_level_id] += draw.quantity
    with transaction.atomic():
        for stock_level_id in sorted(totals):
            if totals[stock_level_id]:
                StockLevel.objects.filter(pk=stock_level_id).update(quantity=F("quantity") + totals[stock_level_id])
        forget_pages_after_commit(totals)


def forget_pages_after_commit(stock_level_ids) -> None:
    stock_level_ids = list(stock_level_ids)

    def forget() -> None:
        products = SKU.objects.filter(stock_levels__pk__in=stock_level_ids).values_list("product_id", flat=True)
        caching.forget_products(set(products))

    # robust: the order is committed by now; a cache outage must not turn it into an error (the pages expire anyway).
    transaction.on_commit(forget, robust=True)
