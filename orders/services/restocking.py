"""Putting the units of order lines back on the stock rows they were drawn from."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders import flash
from orders.lock_objects import locked_stock_draws
from orders.models import OrderLine, StockDraw, SubOrder
from shops import stock


def restock_line(line: OrderLine, quantity: int) -> None:
    """Put ``quantity`` units of ``line`` back on the stock rows they were drawn from (refund before shipping)."""
    restock_lines([(line, quantity)])


def restock_lines(items: list[tuple[OrderLine, int]]) -> None:
    """Put units of each line back on the stock rows they were drawn from, in one pass for many lines.

    The caller guarantees each refunded unit is restocked once; this refuses to restore more than was drawn."""
    wanted: dict[int, int] = defaultdict(int)
    for line, quantity in items:
        if quantity < 1:
            raise DomainError(_("Quantity must be at least 1."), code="invalid_quantity")
        wanted[line.pk] += quantity
    with transaction.atomic():
        left = dict(wanted)
        changed, releases = [], []
        for draw in locked_stock_draws(wanted):
            take = min(left[draw.line_id], draw.quantity - draw.restored)
            if take <= 0:
                continue
            draw.restored += take
            changed.append(draw)
            releases.append(stock.Draw(draw.stock_level_id, take))
            left[draw.line_id] -= take
        if any(left.values()):
            raise DomainError(_("More units than were reserved cannot be restocked."), code="over_restock")
        StockDraw.objects.bulk_update(changed, ["restored"])
        stock.release(releases)
        back_online: dict[int, int] = defaultdict(int)
        for line, quantity in items:
            if line.suborder.fulfilment == SubOrder.Fulfilment.DELIVERY:
                back_online[line.sku_id] += quantity
        for sku_id, quantity in back_online.items():
            flash.give_back_on_commit(sku_id, quantity)


def restock_suborder(suborder: SubOrder) -> None:
    """Put back every unit of the sub-order not restored yet."""
    for line in suborder.lines.all():
        remaining = sum(draw.quantity - draw.restored for draw in line.draws.all())
        if remaining:
            restock_line(line, remaining)
