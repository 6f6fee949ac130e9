"""Storefront pages of orders: the cart (tick what to check out, 勾选结算), buy now (立即购买, the cart left alone),
checkout (shipping per store for the chosen address, notes, an e-invoice request), my orders and the invoice PDF, and
flash sales (the sales on now, one sale's buy-now form, and the ticket until its order is written, polled by htmx;
orders.flash_orders decides)."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Address
from marketplace import navigation
from marketplace.api import DomainError
from marketplace.http import local_url
from marketplace.money import ZERO
from orders import cart as carts
from orders import cart_view, checkout, flash_orders, invoices, selectors, services
from orders.events import why
from orders.models import Invoice, SubOrder


def shopper_or_none(request):
    return request.user if request.user.is_authenticated else None


def back_or(request, fallback: str) -> str:
    return local_url(request, request.POST.get("next", ""), request.headers.get("Referer", ""), fallback=fallback)


def go(request, url: str):
    """Redirect; htmx requests get HX-Redirect so the whole page follows."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- cart ------------------------------------------------------------------------------------------------------


def cart_page(request):
    view = cart_view.view_cart(carts.cart_for(request, create=False), shopper_or_none(request))
    return render(request, "storefront/orders/cart.html", {"view": view, "checkout_url": checkout_url(view)})


def checkout_url(view) -> str:
    ids = view.selected_ids
    return f"{reverse('orders:checkout')}?{urlencode({'items': ids}, doseq=True)}" if ids else ""


@require_POST
def cart_select(request):
    """Tick exactly the posted lines (checkboxes "items"); the cart re-prices the selection."""
    cart = carts.cart_for(request)
    try:
        carts.set_selection(cart, request.POST.getlist("items"))
    except DomainError as exc:
        messages.error(request, exc.message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("orders:cart")
        return response
    return redirect("orders:cart")


@require_safe
def cart_count(request):
    """Units in the visitor's cart for the tab bar badge (empty when none), loaded by every page."""
    cart = carts.cart_for(request, create=False)
    count = cart.items.aggregate(n=Sum("quantity"))["n"] if cart is not None and cart.pk else 0
    response = HttpResponse(str(count) if count else "", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def cart_add(request):
    """The product page's "add to cart" / "buy now" (fields sku, quantity, optional source)."""
    try:
        carts.add_item(
            carts.cart_for(request),
            sku_id=request.POST.get("sku"),
            quantity=request.POST.get("quantity", "1"),
            source=request.POST.get("source", ""),
            shopper=shopper_or_none(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return go(request, back_or(request, reverse("orders:cart")))
    messages.success(request, _("Added to your cart."))
    if request.POST.get("buy_now"):
        return go(request, reverse("orders:checkout"))
    return go(request, reverse("orders:cart"))


@require_POST
def cart_item_update(request, pk: int):
    cart = carts.cart_for(request)
    try:
        if request.POST.get("action") == "remove":
            carts.remove_item(cart, pk)
            messages.success(request, _("Removed from your cart."))
        else:
            carts.set_quantity(cart, pk, request.POST.get("quantity"), shopper_or_none(request))
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    return go(request, reverse("orders:cart"))


@require_POST
@login_required
def cart_coupons(request):
    choice = "best" if request.POST.get("mode", "best") == "best" else request.POST.getlist("coupon")
    try:
        carts.set_coupon_choice(carts.cart_for(request), choice, request.user)
        messages.success(request, _("Coupons updated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return go(request, reverse("orders:cart"))


# --- checkout --------------------------------------------------------------------------------------------------


@require_POST
def buy_now(request):
    """The product page's / live room's 立即购买: just this item to checkout; the cart is left alone."""
    back = local_url(request, request.headers.get("Referer", ""))
    try:
        sku = carts.find_sku(request.POST.get("sku"))
        quantity = carts.parse_quantity(request.POST.get("quantity", "1"))
        carts.check_quantity(sku, quantity, shopper_or_none(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    query = {"sku": sku.pk, "quantity": quantity}
    if request.POST.get("source"):
        query["source"] = request.POST["source"][:64]
    return redirect(f"{reverse('orders:checkout')}?{urlencode(query)}")


def buy_now_from(data) -> list[dict] | None:
    if not data.get("sku"):
        return None
    return [{"sku": data.get("sku"), "quantity": data.get("quantity", "1"), "source": data.get("source", "")}]


@login_required
def checkout_page(request):
    data = request.POST if request.method == "POST" else request.GET
    lines = buy_now_from(data)
    cart = None if lines else carts.cart_for(request)
    items = data.getlist("items") or None
    addresses = list(Address.objects.filter(user=request.user).order_by("-is_default", "pk"))
    address = chosen_address(addresses, data.get("address"))
    fulfilment = {
        key.removeprefix("fulfilment_"): value for key, value in data.items() if key.startswith("fulfilment_")
    }
    notes = {key.removeprefix("note_"): value for key, value in data.items() if key.startswith("note_")}
    invoice = {"kind": data.get("invoice_kind", ""), "title": data.get("invoice_title", ""),
               "tax_number": data.get("invoice_tax_number", "")}  # fmt: skip
    error = ""
    if request.method == "POST" and not data.get("refresh"):
        try:
            order, _created = checkout.place_order(
                shopper=request.user,
                cart=cart,
                idempotency_key=data.get("idempotency_key"),
                address_id=data.get("address") or None,
                fulfilment=fulfilment,
                expected_payable=data.get("expected_payable") or None,
                buy_now=lines,
                items=items,
                notes=notes,
                invoice=invoice,
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("payments:pay_order", number=order.number)
    try:
        view, inputs = preview(request.user, cart, lines, items, address)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:cart")
    if view.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    outlets = checkout.pickup_outlets(None, inputs)
    for group in view.groups:  # a store picked up ships nothing
        if fulfilment.get(str(group.store.pk)) not in (None, "", "delivery") and group.shipping_fee is not None:
            group.shipping_fee = ZERO
    context = {
        "view": view,
        "addresses": addresses,
        "default_address": address,
        "outlets": outlets,
        "fulfilment": fulfilment,
        "notes": notes,
        "invoice": invoice,
        "invoice_kinds": Invoice.Kind.choices,
        "buy_now": lines[0] if lines else None,
        "items": items or [],
        "idempotency_key": data.get("idempotency_key") or uuid.uuid4().hex,
        "error": error,
    }
    return render(request, "storefront/orders/checkout.html", context, status=400 if error else 200)


def chosen_address(addresses: list[Address], wanted) -> Address | None:
    chosen = next((a for a in addresses if str(a.pk) == str(wanted)), None)
    return chosen or (addresses[0] if addresses else None)


def preview(shopper, cart, lines, items, address):
    """The priced view of what this checkout would order, with shipping to ``address``."""
    province = address.province if address else ""
    if lines:
        inputs = checkout.buy_now_lines(lines)
        return cart_view.view_buy_now(inputs, shopper, province), inputs
    selection = carts.parse_selection(cart, items) if items else list(cart.items.values_list("pk", flat=True))
    view = cart_view.view_cart(cart, shopper, selection=selection, province=province)
    view.groups = [group for group in view.groups if any(line.item.selected for line in group.lines)]
    for group in view.groups:
        group.lines = [line for line in group.lines if line.item.selected]
    inputs = carts.priceable_inputs(cart, shopper, selection)[0]
    return view, inputs


# --- my orders -------------------------------------------------------------------------------------------------


# The shopper's tabs (待付款 / 待发货 / 待收货 / 已收货): orders with at least one sub-order in these states.
ORDER_TABS = {
    "to_pay": (gettext_lazy("To pay"), [SubOrder.State.AWAITING_PAYMENT]),
    "to_ship": (gettext_lazy("To ship"), [SubOrder.State.AWAITING_SHIPMENT]),
    "to_receive": (gettext_lazy("To receive"), [SubOrder.State.SHIPPED]),
    "done": (gettext_lazy("Received"), [SubOrder.State.RECEIVED, SubOrder.State.COMPLETED]),
    "closed": (gettext_lazy("Closed"), [SubOrder.State.CLOSED]),
}


@login_required
def order_list(request):
    tab = request.GET.get("tab", "")
    rows = selectors.orders_of(request.user).prefetch_related("suborders__store", "suborders__lines")
    if tab in ORDER_TABS:
        rows = rows.filter(suborders__state__in=ORDER_TABS[tab][1]).distinct()
    page = Paginator(rows, 10).get_page(request.GET.get("page"))
    tabs = [(value, label) for value, (label, _states) in ORDER_TABS.items()]
    # Tabs other apps add (e.g. reviews' 待评价) through their nav.py, so orders never imports them.
    extra_tabs = navigation.menu("order_tabs")
    return render(
        request, "storefront/orders/order_list.html", {"page": page, "tab": tab, "tabs": tabs, "extra_tabs": extra_tabs}
    )


@login_required
def order_detail(request, number: str):
    order = selectors.order_for_shopper(request.user, number)
    payment = order.payments.order_by("-created_at").first()
    template = "storefront/orders/_order_status.html" if request.htmx else "storefront/orders/order_detail.html"
    return render(request, template, {"order": order, "payment": payment})


@require_POST
@login_required
def order_cancel(request, number: str):
    order = selectors.order_for_shopper(request.user, number)
    try:
        services.cancel_order(order, actor=request.user, reason=why("cancelled_by_shopper"))
        messages.success(request, _("The order was cancelled; its items and coupons are available again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:order_detail", number=number)


@require_POST
@login_required
def suborder_receive(request, number: str, pk: int):
    order = selectors.order_for_shopper(request.user, number)
    suborder = get_object_or_404(SubOrder, order=order, pk=pk)
    try:
        services.confirm_receipt(suborder, shopper=request.user)
        messages.success(request, _("Thanks! You confirmed receipt."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:order_detail", number=number)


# --- flash sales ---------------------------------------------------------------------------------------------------


def flash_list(request):
    return render(request, "storefront/flash/list.html", {"sales": flash_orders.sales_on()})


@login_required
def flash_sale(request, sku_id: int):
    try:
        sale = flash_orders.sale_of(sku_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        try:
            purchase = flash_orders.buy(
                shopper=request.user,
                sku_id=sku_id,
                address_id=request.POST.get("address"),
                quantity=request.POST.get("quantity", "1"),
                idempotency_key=request.POST.get("key"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("orders:flash_sale", sku_id=sku_id)
        if purchase.ticket_id is None:
            return redirect("orders:order_detail", number=purchase.order_number)
        return redirect("orders:flash_ticket", ticket_id=purchase.ticket_id)
    addresses = flash_orders.addresses_for_sale(request.user)
    context = {"sale": sale, "addresses": addresses, "key": uuid.uuid4().hex}  # one key per form: a double click
    return render(request, "storefront/flash/sale.html", context)  # returns the first ticket


@login_required
def flash_ticket(request, ticket_id: str):
    try:
        ticket = flash_orders.ticket_of(request.user, ticket_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    template = "storefront/flash/_ticket.html" if request.htmx else "storefront/flash/ticket.html"
    order_url = reverse("orders:order_detail", args=[ticket["order"]]) if ticket.get("order") else ""
    return render(request, template, {"ticket": ticket, "order_url": order_url})


# --- invoices --------------------------------------------------------------------------------------------------


@require_safe
def invoice_pdf(request, suborder_id: int):
    """The invoice PDF, for the buyer and the store's staff (the workbench links here too); 404 for anyone else."""
    try:
        invoice = invoices.invoice_for(request.user, suborder_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(
        invoice.pdf.open("rb"), content_type="application/pdf", filename=f"invoice-{invoice.suborder.number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
