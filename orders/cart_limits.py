"""What a shopper may put in the cart and check out: quantities, stock (delivery, or the best outlet for pickup),
the SKU's per-shopper limit (counting units already bought in orders that were not cancelled) and whether the SKU
can be bought at all. ``line_problems`` answers for a whole cart in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders.models import CartItem, Order, OrderLine, SubOrder
from shops import stock
from shops.models import SKU
from shops.selectors import purchasable_problem, purchasable_problems

MAX_LINE_QUANTITY = 999


def is_shopper(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def parse_quantity(value) -> int:
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("Quantity must be a whole number."), code="invalid_quantity") from None
    if quantity < 1:
        raise DomainError(_("Quantity must be at least 1."), code="invalid_quantity")
    if quantity > MAX_LINE_QUANTITY:
        raise DomainError(_("At most %(max)s units per line.") % {"max": MAX_LINE_QUANTITY}, code="invalid_quantity")
    return quantity


def sellable_stock(sku_id: int, store_id: int) -> int:
    """The most a shopper could get: delivery stock, or the best outlet's pickup stock."""
    return stock.sellable({sku_id: store_id})[sku_id]


def already_bought(shopper, sku_id: int) -> int:
    if not is_shopper(shopper):
        return 0
    return bought_by([shopper.pk], sku_id)[shopper.pk]


def bought_by(shopper_ids, sku_id: int) -> dict[int, int]:
    """Units of ``sku_id`` each shopper holds in live orders (what counts against a per-shopper limit)."""
    bought = dict.fromkeys(shopper_ids, 0)
    rows = (
        OrderLine.objects.filter(sku_id=sku_id, suborder__order__shopper_id__in=bought)
        .exclude(suborder__order__status=Order.Status.CANCELLED)
        .exclude(SubOrder.closed_unshipped("suborder__"))
        .values("suborder__order__shopper_id")
        .annotate(total=Sum("quantity"))
    )
    for row in rows:
        bought[row["suborder__order__shopper_id"]] = row["total"]
    return bought


def max_quantity(sku: SKU, shopper) -> int:
    """How many units of ``sku`` this shopper may hold in the cart now."""
    limit = sellable_stock(sku.pk, sku.store_id)
    if sku.per_shopper_limit:
        limit = min(limit, max(0, sku.per_shopper_limit - already_bought(shopper, sku.pk)))
    return min(limit, MAX_LINE_QUANTITY)


def check_quantity(sku: SKU, quantity: int, shopper) -> None:
    problem = purchasable_problem(sku)
    if problem:
        raise DomainError(problem, code="not_purchasable")
    error = quantity_error(sku, quantity, shopper, sellable_stock(sku.pk, sku.store_id))
    if error is not None:
        raise error


def quantity_error(sku: SKU, quantity: int, shopper, available: int) -> DomainError | None:
    """Why ``quantity`` units of a buyable ``sku`` cannot be had with ``available`` units sellable, or None."""
    if quantity > available:
        if available == 0:
            return DomainError(_("%(name)s is out of stock.") % {"name": sku}, code="out_of_stock")
        return DomainError(
            _("Only %(available)s of %(name)s left.") % {"available": available, "name": sku}, code="out_of_stock"
        )
    if sku.per_shopper_limit:
        allowed = max(0, sku.per_shopper_limit - already_bought(shopper, sku.pk))
        if quantity > allowed:
            return DomainError(
                _("Each shopper may buy at most %(limit)s of %(name)s (you can add %(allowed)s more).")
                % {"limit": sku.per_shopper_limit, "name": sku, "allowed": allowed},
                code="per_shopper_limit",
            )
    return None


def line_problems(items: Iterable[CartItem], shopper) -> dict[int, str | None]:
    """cart item pk -> why the line cannot be checked out (None = fine): the checks of ``check_quantity`` for every
    line, with the SKUs as just read (``select_related("sku__product__store")``): one query for the stores'
    closures and one for the stock, whatever the number of lines (plus one per SKU with a per-shopper limit)."""
    items = list(items)
    skus = {item.sku.pk: item.sku for item in items}
    if not skus:
        return {}
    problems = purchasable_problems(skus.values())
    sellable = stock.sellable({pk: sku.store_id for pk, sku in skus.items()})
    result = {}
    for item in items:
        problem = problems[item.sku.pk]
        if problem is None:
            error = quantity_error(item.sku, item.quantity, shopper, sellable[item.sku.pk])
            problem = error.message if error is not None else None
        result[item.pk] = problem
    return result


def find_sku(sku_id) -> SKU:
    try:
        pk = int(str(sku_id))
    except (TypeError, ValueError):
        raise DomainError(_("Choose a product option."), code="unknown_sku") from None
    sku = SKU.objects.select_related("product", "store").filter(pk=pk).first()
    if sku is None:
        raise DomainError(_("This item does not exist."), code="unknown_sku", status_code=404)
    return sku
