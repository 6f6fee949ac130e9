"""Flash-sale orders written behind the Redis admission (orders.flash tickets), many per transaction.

``buy`` answers a shopper at once: the units are taken in Redis and a ticket is queued; no stock row is touched.
A writer (the Celery task orders.write_flash_orders, and the beat sweep) turns a batch of tickets of one SKU into
orders in a handful of statements: the promotions are loaded and the cart priced once per distinct case, the rows
are built by the same functions as checkout (orders.order_rows.build_*) and inserted in bulk, and the hot stock row
is decremented once for the whole batch. Flash orders take no coupons (coupons do not stack with a flash price);
store promotions and campaigns still apply. A ticket that cannot become an order (the store closed since, the
per-shopper limit) fails alone, with its reason, and its units go back on offer.

Exactly once: a ticket carries the shopper's idempotency key, and an order already written for (shopper, key) is
found and reported instead of written again, so a batch retried after a crash places nothing twice; the Redis
side of a ticket is settled by one script that moves nothing for a ticket already settled.
"""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Address
from marketplace.api import DomainError
from orders import cart as carts
from orders import checkout, flash, order_rows, services
from orders.events import why
from orders.lock_objects import lock_shoppers
from orders.models import Order, OrderLine, OrderLineDiscount, StockDraw, SubOrder, SubOrderEvent
from promotions.adapter import CartItemInput, price_without_coupons
from shops import stock
from shops.models import SKU
from shops.selectors import purchasable_problem

BATCH_SIZE = 200
# Bounds of PostgreSQL's bigint: anything else is not an address id (and must not reach the database driver).
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Purchase:
    ticket_id: str | None  # None: the order of this key was written already (order_number says which)
    new: bool
    order_number: str | None = None
    status: dict | None = None  # the ticket's status (see orders.flash.ticket_status), to answer without a lookup


def buy(*, shopper, sku_id: int, address_id, quantity, idempotency_key, source: str = "",
        credentials_key: str = "") -> Purchase:  # fmt: skip
    """Buy now in an armed flash sale: admitted (a queued ticket) or refused at once (409 sold out).
    The same idempotency key returns the same ticket, or the order once it is written.

    Every buyer of a sale runs this, so a buyer whose addresses Redis knows is answered by one Redis script and
    no SQL: the key's earlier ticket (with its order once written), the address check and the admission. The
    database is asked only when Redis cannot answer: the shopper's addresses are not known yet (then remembered),
    or the SKU has no sale armed (an order written for the key before the sale ended is still found).
    ``credentials_key``: see orders.flash.admit_ticket (raises flash.CredentialsGone, nothing taken)."""
    arguments = _admission_arguments(shopper.pk, sku_id, address_id, quantity, idempotency_key, source,
                                     credentials_key)  # fmt: skip
    key, address = arguments["idempotency_key"], arguments["address_id"]
    try:
        try:
            admission = flash.admit_ticket(**arguments)
        except flash.AddressUnknown:
            addresses = list(Address.objects.filter(user_id=shopper.pk).values_list("pk", flat=True))
            flash.remember_addresses(shopper.pk, addresses)
            if address not in addresses:
                raise DomainError(_("Choose one of your delivery addresses."), code="invalid_address") from None
            admission = flash.admit_ticket(**arguments)
    except DomainError as exc:
        if exc.code != "no_flash_sale":
            raise
        placed = _placed_order(shopper, key)
        if placed is None:
            raise
        return Purchase(None, False, placed)
    except flash.AddressUnknown:  # the addresses changed again between the two tries: refuse, the buyer retries
        raise DomainError(_("Choose one of your delivery addresses."), code="invalid_address") from None
    if admission.schedule_writer:
        schedule_writer(sku_id)
    purchase = _purchase(admission)
    if purchase is not None:
        return purchase
    placed = _placed_order(shopper, key)  # the ticket's status expired: its order, if it was written
    if placed is None:
        raise DomainError(_("No such flash-sale ticket."), code="not_found", status_code=404)
    return Purchase(None, False, placed)


async def buy_in_loop(async_client, *, shopper_id: int, sku_id: int, address_id, quantity, idempotency_key,
                      source: str = "", credentials_key: str = "") -> Purchase | None:  # fmt: skip
    """What ``buy`` answers from Redis alone, on an asyncio client (the flash-sale lane, orders.flash_lane): the
    same checks and script. None when only ``buy`` can answer (the addresses or the sale are not in Redis, the
    ticket's status expired): nothing was taken, so the caller asks ``buy``. Raises DomainError for bad input and
    a sold-out sale, as ``buy`` does, and flash.CredentialsGone."""
    arguments = _admission_arguments(shopper_id, sku_id, address_id, quantity, idempotency_key, source,
                                     credentials_key)  # fmt: skip
    try:
        admission = await flash.admit_ticket_async(async_client, **arguments)
    except flash.AddressUnknown:
        return None
    except DomainError as exc:
        if exc.code == "no_flash_sale":
            return None
        raise
    if admission.schedule_writer:
        await asyncio.to_thread(schedule_writer, sku_id)
    return _purchase(admission)


def _admission_arguments(shopper_id: int, sku_id: int, address_id, quantity, idempotency_key, source,
                         credentials_key: str) -> dict:  # fmt: skip
    return {"sku_id": sku_id, "shopper_id": shopper_id, "address_id": _as_id(address_id),
            "units": carts.parse_quantity(quantity), "idempotency_key": checkout.clean_key(idempotency_key),
            "source": str(source)[:64], "credentials_key": credentials_key}  # fmt: skip


def _purchase(admission: flash.Admission) -> Purchase | None:
    """The buyer's answer from an admission; None when its ticket's status expired (the order, if any, is in the
    database)."""
    status = admission.status
    if status is None:
        return None
    if status.get("status") == "placed":
        return Purchase(None, False, status["order"], status)
    return Purchase(admission.ticket_id, admission.new, None, status)


def addresses_for_sale(shopper) -> list[Address]:
    """The shopper's addresses to choose from on a sale's page; the admission script learns them on the way."""
    addresses = list(Address.objects.filter(user_id=shopper.pk).order_by("-is_default", "pk"))
    flash.remember_addresses(shopper.pk, [address.pk for address in addresses])
    return addresses


def schedule_writer(sku_id: int) -> None:
    """Start a writer for the SKU's tickets (the ticket is already in Redis: there is nothing to wait for)."""
    from orders.tasks import write_flash_orders

    write_flash_orders.delay(sku_id)


def _placed_order(shopper, key: str) -> str | None:
    """The number of the order already written for (shopper, key)."""
    return Order.objects.filter(shopper_id=shopper.pk, idempotency_key=key).values_list("number", flat=True).first()


def _as_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or not 0 < number <= MAX_ID:
        raise DomainError(_("Choose one of your delivery addresses."), code="invalid_address")
    return number


def ticket_body(purchase: Purchase) -> dict:
    """The answer to a buyer: the ticket and its status, or the order once written."""
    if purchase.ticket_id is None:
        return {"ticket": None, "status": "placed", "order": purchase.order_number}
    status = {name: value for name, value in purchase.status.items() if name != "shopper"}
    return {"ticket": purchase.ticket_id, **readable(status)}


def ticket_of(shopper, ticket_id: str) -> dict:
    """The ticket's status for its shopper; anyone else's ticket (or an unknown one) is a 404."""
    status = flash.ticket_status(str(ticket_id)[:64])
    if status is None or status.get("shopper") != shopper.pk:
        raise DomainError(_("No such flash-sale ticket."), code="not_found", status_code=404)
    return {"ticket": ticket_id, **readable(status)}


def readable(status: dict) -> dict:
    """The ticket status with its refusal in the reader's language: the writer stores the reason in English (the
    message id, see ``drain``), translated here as it is read. A reason with figures in it (a closure's dates) has
    no catalog entry and stays as written."""
    reason = status.get("reason")
    return {**status, "reason": _(reason)} if reason else status


@dataclass(frozen=True)
class Sale:
    sku: SKU
    units_left: int


def sales_on(sku_ids: list[int] | None = None) -> list[Sale]:
    """The flash sales on now (of ``sku_ids``, default every armed SKU) whose item can be bought."""
    left = flash.units_on_offer(flash.armed_skus() if sku_ids is None else sku_ids)
    skus = SKU.objects.select_related("product__store").filter(pk__in=left).order_by("pk")
    return [Sale(sku, left[sku.pk]) for sku in skus if not purchasable_problem(sku)]


def sale_of(sku_id: int) -> Sale:
    sales = sales_on([sku_id])
    if not sales:
        raise DomainError(_("This product has no flash sale on now."), code="not_found", status_code=404)
    return sales[0]


# --- the writer ------------------------------------------------------------------------------------------------


def write_queued(sku_id: int) -> int:
    """Be the SKU's writer and drain its tickets; if another writer is at it, leave them to it.
    Returns how many tickets this call settled."""
    consumer = f"{socket.gethostname()}-{os.getpid()}"
    settled = 0
    while flash.claim_writer(sku_id):
        try:
            settled += drain(sku_id, consumer)
        finally:
            flash.release_writer(sku_id)
        # A ticket admitted between the last read and the release scheduled no writer: look again.
        if not flash.queued_tickets(sku_id):
            break
    return settled


def sweep() -> int:
    """Beat: write tickets no task is writing (a lost task, a dead worker), and tidy up disarmed sales."""
    settled = 0
    for sku_id in flash.armed_skus():
        if flash.queued_tickets(sku_id):
            settled += write_queued(sku_id)
        if not flash.is_armed(sku_id):
            flash.disarm(sku_id)
    return settled


def drain(sku_id: int, consumer: str) -> int:
    """Write every queued ticket of ``sku_id``, a batch at a time. Returns how many tickets were settled."""
    settled = 0
    while tickets := flash.next_tickets(sku_id, consumer, BATCH_SIZE):
        with translation.override("en"):  # refusals stored as message ids, read in the shopper's language
            outcomes = write(sku_id, tickets)
        flash.finish_tickets(sku_id, outcomes)
        settled += len(outcomes)
    return settled


def write(sku_id: int, tickets: list[flash.Ticket]) -> list[flash.Outcome]:
    """Turn tickets into orders; one outcome per ticket (its order number, or why it failed)."""
    placed = _already_placed(tickets)
    outcomes = [outcome for t in tickets if (outcome := _placed(t, placed))]
    todo = [t for t in tickets if (t.shopper_id, t.idempotency_key) not in placed]
    if not todo:
        return outcomes
    sku = SKU.objects.select_related("product", "store").filter(pk=sku_id).first()
    problem = purchasable_problem(sku) if sku else _("This item does not exist.")
    if problem:
        return outcomes + [flash.Outcome(t, reason=problem) for t in todo]
    try:
        return outcomes + _write_orders(sku, todo)
    except (DomainError, IntegrityError):
        if len(todo) == 1:
            sold_out = flash.Outcome(todo[0], reason=_("Sold out. Everything on offer has been taken."))
            return outcomes + [_placed(todo[0], _already_placed(todo)) or sold_out]
        # Something in the batch went wrong (stock taken away under the sale, a racing writer): one by one.
        return outcomes + [outcome for ticket in todo for outcome in write(sku_id, [ticket])]


def _placed(ticket: flash.Ticket, placed: dict) -> flash.Outcome | None:
    number = placed.get((ticket.shopper_id, ticket.idempotency_key))
    return flash.Outcome(ticket, order_number=number) if number else None


def _already_placed(tickets: list[flash.Ticket]) -> dict[tuple[int, str], str]:
    rows = Order.objects.filter(
        shopper_id__in={t.shopper_id for t in tickets}, idempotency_key__in={t.idempotency_key for t in tickets}
    ).values_list("shopper_id", "idempotency_key", "number")
    return {(shopper_id, key): number for shopper_id, key, number in rows}


@transaction.atomic
def _write_orders(sku: SKU, tickets: list[flash.Ticket]) -> list[flash.Outcome]:
    addresses = Address.objects.select_related("user").in_bulk({t.address_id for t in tickets})
    tickets, refused = _within_limits(sku, tickets, addresses)
    if not tickets:
        return refused
    first_orders = carts.first_order_stores_of(sorted({t.shopper_id for t in tickets}), {sku.store_id})
    cases = {frozenset(stores) for stores in first_orders.values()}
    prices = {
        units: price_without_coupons(items=[CartItemInput(key="flash", sku=sku, quantity=units)], first_order_stores=cases)
        for units in {t.units for t in tickets}
    }  # fmt: skip
    built = []
    shipping: dict[tuple, dict] = {}  # one fee lookup per (units, province, goods amount)
    for ticket in tickets:
        priced = prices[ticket.units][frozenset(first_orders[ticket.shopper_id])]
        address = addresses[ticket.address_id]
        item = CartItemInput(key="flash", sku=sku, quantity=ticket.units, source=ticket.source)
        fee_key = (ticket.units, address.province, priced.payable)
        if fee_key not in shipping:
            shipping[fee_key] = checkout.shipping_fees(priced, [item], address.province)
        fees = shipping[fee_key]
        order = order_rows.build_order(address.user, ticket.idempotency_key, address, priced, fees)
        built.append((ticket, order, priced, item, fees))
    Order.objects.bulk_create([order for _t, order, _p, _i, _f in built])
    suborders = SubOrder.objects.bulk_create(
        order_rows.build_suborder(order, 1, priced.stores[0], order_rows.Fulfilment(sku.store_id), fees[sku.store_id])
        for _t, order, priced, _i, fees in built
    )
    built = [(ticket, order, priced, item) for ticket, order, priced, item, _fees in built]
    rows = list(zip(suborders, built, strict=True))
    lines = OrderLine.objects.bulk_create(
        order_rows.build_line(suborder, priced.lines[0], item) for suborder, (_t, _o, priced, item) in rows
    )
    OrderLineDiscount.objects.bulk_create(
        discount
        for line, (_t, _o, priced, _i) in zip(lines, built, strict=True)
        for discount in order_rows.build_discounts(line, priced.lines[0])
    )
    SubOrderEvent.objects.bulk_create(
        services.Event(suborder, "placed", order.shopper, why("order_placed"), {"payable": str(priced.payable)}).row()
        for suborder, (_t, order, priced, _i) in rows
    )
    _charge_campaigns(built)
    # Last and once for the whole batch: the hot stock row is locked only until the commit.
    draws = stock.reserve([stock.StockRequest(str(line.pk), sku.pk, line.quantity) for line in lines])
    StockDraw.objects.bulk_create(
        StockDraw(line=line, stock_level_id=draw.stock_level_id, quantity=draw.quantity)
        for line in lines
        for draw in draws[str(line.pk)]
    )
    return refused + [flash.Outcome(ticket, order_number=order.number) for ticket, order, _p, _i in built]


def _within_limits(sku: SKU, tickets: list[flash.Ticket], addresses: dict) -> tuple[list, list[flash.Outcome]]:
    """Tickets with a valid address and within the SKU's per-shopper limit (the shoppers are locked, as at
    checkout, so a concurrent checkout of the same shopper cannot pass the limit with them)."""
    valid, refused = [], []
    for ticket in tickets:
        address = addresses.get(ticket.address_id)
        if address is None or address.user_id != ticket.shopper_id:
            refused.append(flash.Outcome(ticket, reason=_("Choose one of your delivery addresses.")))
        else:
            valid.append(ticket)
    if not sku.per_shopper_limit or not valid:
        return valid, refused
    shopper_ids = sorted({t.shopper_id for t in valid})
    lock_shoppers(shopper_ids)
    left = {shopper: sku.per_shopper_limit - units for shopper, units in carts.bought_by(shopper_ids, sku.pk).items()}
    allowed = []
    for ticket in valid:
        if ticket.units > left[ticket.shopper_id]:
            refused.append(flash.Outcome(ticket, reason=_("You have reached the limit for this item.")))
            continue
        left[ticket.shopper_id] -= ticket.units
        allowed.append(ticket)
    return allowed, refused


def _charge_campaigns(built) -> None:
    from promotions.services.consumption import consume_for_order

    for _ticket, order, priced, _item in built:
        if priced.campaign_platform_funding():
            consume_for_order(shopper=order.shopper, priced=priced, order_id=order.pk)
