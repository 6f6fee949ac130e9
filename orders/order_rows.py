"""The rows of a placed order: the Order, one SubOrder per store, its lines with their discounts, and the "placed"
events. Built unsaved here (checkout inserts one order's rows kind by kind in bulk, the flash-sale writer many orders'
rows at once)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accounts.models import Address
from orders.events import why
from orders.models import Invoice, Order, OrderLine, OrderLineDiscount, SubOrder
from orders.services import Event, record_events
from promotions.adapter import PricedCart
from shops import stock
from shops.models import SKU

SKU_STORE = SKU._meta.get_field("store")


@dataclass(frozen=True)
class Fulfilment:
    store_id: int
    outlet_id: int | None = None  # None = delivery

    @property
    def is_pickup(self) -> bool:
        return self.outlet_id is not None


def new_order_number() -> str:
    return f"{timezone.localtime():%y%m%d}{secrets.randbelow(10**10):010d}"


def build_order(shopper, key: str, address: Address | None, priced: PricedCart, fees: dict | None = None) -> Order:
    """The unsaved Order row of a priced cart (saved alone at checkout, in bulk by the flash-sale writer).
    ``fees``: store id -> shipping fee (none = free shipping)."""
    now = timezone.now()
    shipping = sum((fees or {}).values(), Decimal("0.00"))
    return Order(
        number=new_order_number(),
        shopper=shopper,
        idempotency_key=key,
        address=address,
        shipping_address=address_snapshot(address),
        subtotal=priced.subtotal,
        discount=priced.discount,
        shipping_fee=shipping,
        payable=priced.payable + shipping,
        coupons_used=list(priced.coupons_used),
        expires_at=now + datetime.timedelta(minutes=settings.UNPAID_ORDER_TIMEOUT_MINUTES),
    )


def address_snapshot(address: Address | None) -> dict:
    if address is None:
        return {}
    fields = ("recipient", "phone", "province", "city", "district", "detail")
    return {name: getattr(address, name) for name in fields} | {"id": address.pk, "text": address.one_line()}


def insert_suborders(
    order: Order,
    priced: PricedCart,
    items: dict,
    choices: dict[int, Fulfilment],
    fees: dict | None = None,
    extras: dict | None = None,
) -> tuple[list[stock.StockRequest], dict[str, OrderLine]]:
    """The saved order's sub-orders (one per store, by store id), lines, discounts, invoices and "placed" events,
    each kind in one INSERT whatever the size of the cart. Returns the stock requests of the lines and the lines by
    pricing key."""
    fees, extras = fees or {}, extras or {}
    stores = sorted(priced.stores, key=lambda s: s.store_id)
    suborders = []
    for index, store in enumerate(stores, start=1):
        suborder = build_suborder(order, index, store, choices[store.store_id], fees.get(store.store_id))
        suborder.buyer_note = extras.get("notes", {}).get(store.store_id, "")
        suborders.append(suborder)
    SubOrder.objects.bulk_create(suborders)
    invoices = {}
    if extras.get("invoice"):
        invoices = {
            invoice.suborder_id: invoice
            for invoice in Invoice.objects.bulk_create(
                Invoice(suborder=suborder, **extras["invoice"]) for suborder in suborders
            )
        }
    lines: dict[str, OrderLine] = {}
    requests = []
    priced_lines = []
    for store, suborder in zip(stores, suborders, strict=True):
        choice = choices[store.store_id]
        for priced_line in (line for line in priced.lines if line.store_id == store.store_id):
            item = items[priced_line.key]
            lines[priced_line.key] = build_line(suborder, priced_line, item)
            priced_lines.append(priced_line)
            requests.append(stock.StockRequest(priced_line.key, item.sku.pk, item.quantity, choice.outlet_id))
    OrderLine.objects.bulk_create(lines.values())
    discounts = OrderLineDiscount.objects.bulk_create(
        discount for priced_line in priced_lines for discount in build_discounts(lines[priced_line.key], priced_line)
    )
    events = record_events(
        [
            Event(suborder, "placed", order.shopper, why("order_placed"),
                  {"payable": str(suborder.payable), "shipping_fee": str(suborder.shipping_fee)})
            for suborder in suborders
        ]
    )  # fmt: skip
    keep_written_rows(order, suborders, list(lines.values()), discounts, events, invoices, items.values())
    return requests, lines


def keep_written_rows(order, suborders, lines, discounts, events, invoices, items) -> None:
    """Hang the rows just inserted on ``order`` as if read back with orders.selectors.order_for_shopper's
    prefetches, so the checkout can answer without reading its own order again (7 queries). Every row kind is
    complete: a new order has no tracking reports and no invoice but the ones inserted here."""
    stores = {item.sku.store_id: item.sku.store for item in items if SKU_STORE.is_cached(item.sku)}
    lines_of, discounts_of, events_of = {}, {}, {}
    for line in lines:
        lines_of.setdefault(line.suborder_id, []).append(line)
    for discount in discounts:
        discounts_of.setdefault(discount.line_id, []).append(discount)
    for event in events:
        events_of.setdefault(event.suborder_id, []).append(event)
    for suborder in suborders:
        if suborder.store_id in stores:
            suborder.store = stores[suborder.store_id]
        SubOrder.invoice.related.set_cached_value(suborder, invoices.get(suborder.pk))
        prefetched(suborder, "lines", lines_of.get(suborder.pk, []))
        prefetched(suborder, "events", events_of.get(suborder.pk, []))
        prefetched(suborder, "tracking_events", [])
    for line in lines:
        prefetched(line, "discounts", discounts_of.get(line.pk, []))
    prefetched(order, "suborders", suborders)


def prefetched(instance, name: str, rows: list) -> None:
    """What prefetch_related leaves on ``instance`` for the reverse relation ``name``: its rows, no query."""
    queryset = getattr(instance, name).get_queryset()  # filtered to the instance, as Django's prefetch leaves it
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def build_suborder(order: Order, index: int, store, choice: Fulfilment, shipping_fee=None) -> SubOrder:
    """The unsaved SubOrder of one store of a priced cart (``store``: a priced store)."""
    shipping_fee = Decimal("0.00") if choice.is_pickup or shipping_fee is None else shipping_fee
    return SubOrder(
        order=order,
        number=f"{order.number}-{index}",
        store_id=store.store_id,
        fulfilment=SubOrder.Fulfilment.PICKUP if choice.is_pickup else SubOrder.Fulfilment.DELIVERY,
        pickup_outlet_id=choice.outlet_id,
        subtotal=store.subtotal,
        discount=store.discount,
        shipping_fee=shipping_fee,
        payable=store.payable + shipping_fee,
    )


def build_line(suborder: SubOrder, priced_line, item) -> OrderLine:
    sku = item.sku
    return OrderLine(
        suborder=suborder,
        sku=sku,
        title=sku.product.title,
        sku_label=sku.label,
        quantity=priced_line.quantity,
        unit_price=priced_line.unit_price,
        subtotal=priced_line.subtotal,
        base=priced_line.base,
        payable=priced_line.payable,
        source=item.source,
    )


def build_discounts(line: OrderLine, priced_line) -> list[OrderLineDiscount]:
    """The allocated discounts of a priced line, as unsaved rows of ``line``."""
    return [
        OrderLineDiscount(
            line=line,
            lane=d.lane,
            source_kind=d.source_kind,
            source_id=d.source_id,
            label=d.label[:200],
            amount=d.amount,
            platform_funded=d.platform_funded,
            merchant_funded=d.merchant_funded,
        )
        for d in priced_line.discounts
        if d.amount != Decimal("0")
    ]
